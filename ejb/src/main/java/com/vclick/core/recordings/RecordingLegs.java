package com.vclick.core.recordings;

import java.util.ArrayList;
import java.util.List;

/**
 * Which legs' media a recording holds and for how long, as the media server reported it while the
 * call ran. A recording missing a leg, or archived from what a crash left behind, is not a complete
 * recording of the call: {@link #incomplete()} says why, and the compliance view counts it as a
 * gap.
 *
 * @param known whether the legs were reported (false for recordings handed in without them)
 * @param enterpriseMillis how long the enterprise leg's media was recorded; null: none
 * @param farEndMillis how long the far end's media was recorded; null: none
 * @param partial archived from a crashed server's leftovers: the call's end is not in it
 */
public record RecordingLegs(
    boolean known, Long enterpriseMillis, Long farEndMillis, boolean partial) {

  /** Nothing reported (recordings of other sources, or before this was recorded). */
  public static final RecordingLegs UNKNOWN = new RecordingLegs(false, null, null, false);

  public RecordingLegs {
    if (enterpriseMillis != null && enterpriseMillis < 0
        || farEndMillis != null && farEndMillis < 0) {
      throw new IllegalArgumentException("legs: a leg's media time cannot be negative.");
    }
  }

  /** Why the recording is not a complete one of both legs; null when it is (or not known). */
  public String incomplete() {
    List<String> why = new ArrayList<>();
    if (known && enterpriseMillis == null) {
      why.add("missing leg: enterprise");
    }
    if (known && farEndMillis == null) {
      why.add("missing leg: far-end");
    }
    if (partial) {
      why.add("partial: archived after the server stopped during the call");
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }
}
