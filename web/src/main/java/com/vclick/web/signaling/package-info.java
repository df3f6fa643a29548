/**
 * The signaling protocol spoken over the one authenticated WebSocket per client: every message type
 * in {@link com.vclick.web.signaling.SignalingMessage} (the registry, versioned), decoded strictly
 * by {@link com.vclick.web.signaling.MessageCodec}. Its JavaScript twin lives in the extension and
 * the web app. What a socket may hold is bounded: sockets waiting for their hello per address and
 * in all ({@link com.vclick.web.signaling.UnauthenticatedSockets}), signed-in sockets per user
 * ({@link com.vclick.web.signaling.Connections}), messages per second ({@link
 * com.vclick.web.signaling.RateLimit}).
 */
package com.vclick.web.signaling;
