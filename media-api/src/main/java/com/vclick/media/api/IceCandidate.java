package com.vclick.media.api;

import java.util.Objects;

/**
 * One trickled ICE candidate as WebRTC carries it ({@code RTCIceCandidateInit}).
 *
 * @param candidate the {@code candidate:…} attribute without {@code a=}; empty for the end of
 *     candidates of that media section
 * @param sdpMid the media section's mid, or null
 * @param sdpMLineIndex the media section's index, or null
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {

  public IceCandidate {
    Objects.requireNonNull(candidate, "candidate");
    if (sdpMid == null && sdpMLineIndex == null) {
      throw new IllegalArgumentException("a candidate needs sdpMid or sdpMLineIndex");
    }
  }

  /** Whether this only says that the media section has no more candidates. */
  public boolean isEndOfCandidates() {
    return candidate.isEmpty();
  }
}
