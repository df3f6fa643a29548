/**
 * Recorded calls on third-party sites: for a {@code record} decision the extension's wrapper hands
 * the page's offers and answers here, and a {@link com.vclick.media.api.ProxiedCall} on the media
 * server becomes the man in the middle (ARCHITECTURE.md, "Regulated recording"). {@link
 * RecordedCalls} owns the live calls (one per wrapped connection), checks that each belongs to the
 * user whose {@code record} decision it was opened for, applies the fail mode when the media server
 * cannot be had, and releases every call on hang-up, idle timeout and shutdown.
 */
package com.vclick.core.edge.recording;
