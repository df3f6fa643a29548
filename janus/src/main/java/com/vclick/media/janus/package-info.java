/**
 * The Janus adapter of the media-server port: drives Janus over its HTTP JSON API with {@code
 * java.net.http} and JSON-P. Default media server for development, tests and small deployments.
 *
 * <p>{@link com.vclick.media.janus.JanusMediaServer} holds one Janus session ({@code JanusSession}:
 * long poll, keepalive, loss detection); each {@code JanusProxiedCall} is two VideoCall handles;
 * recordings are converted by {@code FfmpegRecordingConverter}. How the port maps onto Janus, and
 * what Janus cannot do, is in {@code janus/README.md}.
 */
package com.vclick.media.janus;
