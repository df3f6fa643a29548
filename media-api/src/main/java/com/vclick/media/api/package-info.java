/**
 * The media-server port: what Vclick needs of a media server (proxied two-leg calls for recording,
 * conferences), independent of Jakarta EE and of any one media server. Adapters ({@code janus/},
 * {@code kurento/}) implement {@link com.vclick.media.api.MediaServerProvider} and are found
 * through {@link java.util.ServiceLoader}, so the application never imports an adapter.
 */
package com.vclick.media.api;
