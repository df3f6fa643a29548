/**
 * The signaling protocol spoken over the one authenticated WebSocket per client: every message type
 * in {@link com.vclick.web.signaling.SignalingMessage} (the registry, versioned), decoded strictly
 * by {@link com.vclick.web.signaling.MessageCodec}. Its JavaScript twin lives in the extension and
 * the web app.
 */
package com.vclick.web.signaling;
