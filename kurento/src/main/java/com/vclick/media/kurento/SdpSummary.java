package com.vclick.media.kurento;

import java.util.ArrayList;
import java.util.List;

/**
 * What the adapter needs to know of an SDP: its media sections (kind, whether enabled, mid). Not a
 * parser of everything; never logs the SDP.
 */
record SdpSummary(List<Section> sections) {

  /** One {@code m=} section. */
  record Section(String kind, boolean enabled, String mid) {}

  SdpSummary {
    sections = List.copyOf(sections);
  }

  static SdpSummary of(String sdp) {
    var sections = new ArrayList<Section>();
    String kind = null;
    boolean enabled = false;
    String mid = null;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        if (kind != null) {
          sections.add(new Section(kind, enabled, mid));
        }
        String[] fields = line.substring(2).trim().split(" ");
        kind = fields[0];
        enabled = fields.length > 1 && !fields[1].equals("0");
        mid = null;
      } else if (kind != null && line.startsWith("a=mid:")) {
        mid = line.substring("a=mid:".length()).trim();
      } else if (kind != null && line.trim().equals("a=inactive")) {
        enabled = false;
      }
    }
    if (kind != null) {
      sections.add(new Section(kind, enabled, mid));
    }
    return new SdpSummary(sections);
  }

  /** How many {@code a=candidate} lines {@code sdp} has (for logs: counts, never content). */
  static int candidateCount(String sdp) {
    int count = 0;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("a=candidate:")) {
        count++;
      }
    }
    return count;
  }

  boolean has(String kind) {
    return sections.stream().anyMatch(s -> s.enabled() && s.kind().equals(kind));
  }

  /** The index of the section with {@code mid}, or -1. */
  int indexOf(String mid) {
    for (int i = 0; i < sections.size(); i++) {
      if (mid.equals(sections.get(i).mid())) {
        return i;
      }
    }
    return -1;
  }

  /** The mid of section {@code index}, or null. */
  String midAt(int index) {
    return index >= 0 && index < sections.size() ? sections.get(index).mid() : null;
  }
}
