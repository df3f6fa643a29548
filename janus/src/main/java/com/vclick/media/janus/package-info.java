/**
 * The Janus adapter of the media-server port: drives Janus over its HTTP JSON API with {@code
 * java.net.http}. Default media server for development, tests and small deployments.
 */
package com.vclick.media.janus;
