/**
 * The Kurento adapter of the media-server port, on {@code kurento-client} 7.x: the production
 * option. The only module allowed to import {@code org.kurento} (checked by an architecture test).
 */
package com.vclick.media.kurento;
