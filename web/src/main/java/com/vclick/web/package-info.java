/**
 * Transports: the REST API under {@code /api} (JAX-RS with MicroProfile JWT), soon the WebSocket
 * signaling, and the Vclick web app. Turns requests into calls of the {@code com.vclick.core}
 * services; holds no business rules.
 */
package com.vclick.web;
