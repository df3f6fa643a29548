/**
 * The Kurento adapter of the media-server port, on {@code kurento-client} 7.x: the production
 * option. The only module allowed to import {@code org.kurento} (checked by an architecture test),
 * and within it only {@link com.vclick.media.kurento.KurentoClientGateway} does: the call logic
 * ({@link com.vclick.media.kurento.KurentoProxiedCall}, {@link
 * com.vclick.media.kurento.CallRecording}) works on the small {@link
 * com.vclick.media.kurento.KurentoGateway} seam, which the unit tests fake. See {@code
 * kurento/README.md}.
 */
package com.vclick.media.kurento;
