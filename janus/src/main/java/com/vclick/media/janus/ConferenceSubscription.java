package com.vclick.media.janus;

import com.vclick.media.api.IceCandidate;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One participant's receive session: a VideoRoom subscriber handle with a multistream subscription
 * to the other participants' streams ({@code autoupdate:false}: Janus offers only when the adapter
 * asks). Knows its streams as Janus last described them ({@code attached}/{@code updated}), whether
 * Janus' offer waits for the browser's answer (no update is sent meanwhile), and the browser's
 * candidates held until its first answer reached Janus. Not thread-safe: the conference guards it.
 */
final class ConferenceSubscription {

  /** One media section of the subscription: its mid, and the feed stream it carries (if active). */
  record Section(String mid, String type, long feed, String feedMid, boolean active) {}

  final String sessionId;
  final long handle;
  private final Map<String, Section> sections = new LinkedHashMap<>();
  boolean offerWaits = true;
  boolean answered;
  boolean flowing;
  final List<IceCandidate> early = new ArrayList<>();

  ConferenceSubscription(String sessionId, long handle) {
    this.sessionId = sessionId;
    this.handle = handle;
  }

  /** Takes Janus' {@code streams} summary of the subscription. */
  void described(JsonArray streams) {
    if (streams == null) {
      return;
    }
    sections.clear();
    for (JsonValue value : streams) {
      if (value instanceof JsonObject stream && stream.containsKey("mid")) {
        String type = stream.getString("type", "");
        boolean active = stream.getBoolean("active", true) && stream.containsKey("feed_id");
        sections.put(
            stream.getString("mid"),
            new Section(
                stream.getString("mid"),
                type,
                VideoRoomRequests.number(stream, "feed_id"),
                stream.getString("feed_mid", ""),
                active));
      }
    }
  }

  /** The active sections (each carrying a feed stream). */
  List<Section> active() {
    return sections.values().stream().filter(Section::active).toList();
  }

  /** Whether a section carries that feed stream. */
  boolean carries(RoomFeeds.FeedStream stream) {
    return sections.values().stream()
        .anyMatch(s -> s.active() && s.feed() == stream.feed() && s.feedMid().equals(stream.mid()));
  }
}
