/**
 * The toolkit shared by the media-server adapters ({@code janus/}, {@code kurento/}): what every
 * adapter needs and should not write twice. Not for the application, which uses only {@code
 * com.vclick.media.api}.
 */
package com.vclick.media.api.adapter;
