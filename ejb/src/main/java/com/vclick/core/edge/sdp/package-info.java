/**
 * What the extension's wrapper hands over for the media server is checked here before the media
 * server sees it: session descriptions against RFC 8866's line grammar ({@link
 * com.vclick.core.edge.sdp.SessionDescriptionGrammar}), candidates against RFC 8839's ({@link
 * com.vclick.core.edge.sdp.CandidateGrammar}), and the far end's candidates against the internal
 * address ranges the relay refuses too ({@link com.vclick.core.edge.sdp.PeerAddressRanges}), so a
 * page cannot point the media server into the enterprise network.
 */
package com.vclick.core.edge.sdp;
