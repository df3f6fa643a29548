/**
 * Vclick's domain and application services, one package per feature (identity, directory, turn,
 * audit, health, persistence, media, presence, calls, telephony, edge). Imports no transport
 * (JAX-RS, WebSocket) and no media adapter: the web module calls in, and media servers are reached
 * through the {@code media-api} port.
 */
package com.vclick.core;
