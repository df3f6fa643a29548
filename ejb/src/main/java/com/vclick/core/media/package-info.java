/** The media server chosen by configuration, reached only through the {@code media-api} port. */
package com.vclick.core.media;
