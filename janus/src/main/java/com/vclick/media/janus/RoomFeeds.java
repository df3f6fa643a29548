package com.vclick.media.janus;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feeds of one VideoRoom that can be subscribed to: the publishers Janus announced as active
 * (their PeerConnection is up), each with its audio and video streams. Janus refuses subscriptions
 * to a publisher that is not active yet, so a participant's feed enters here only from Janus' own
 * word: its {@code webrtcup}, a {@code publishers} event or list. Not thread-safe: the conference
 * guards it.
 */
final class RoomFeeds {

  /** One stream a publisher sends: its {@code mid} in the publisher's SDP, audio or video. */
  record FeedStream(long feed, String mid, String type) {}

  private final Map<Long, List<FeedStream>> active = new LinkedHashMap<>();

  /** The feed is active with these streams (replaces what was known). */
  void put(long feed, List<FeedStream> streams) {
    active.put(feed, List.copyOf(streams));
  }

  void remove(long feed) {
    active.remove(feed);
  }

  boolean isActive(long feed) {
    return active.containsKey(feed);
  }

  /** Every active stream but those of {@code exceptFeed}. */
  List<FeedStream> streamsExcept(long exceptFeed) {
    List<FeedStream> streams = new ArrayList<>();
    active.forEach(
        (feed, list) -> {
          if (feed != exceptFeed) {
            streams.addAll(list);
          }
        });
    return streams;
  }

  /** Takes the publishers of a {@code joined} or {@code publishers} event. */
  void putAll(JsonArray publishers) {
    if (publishers == null) {
      return;
    }
    for (JsonValue value : publishers) {
      if (value instanceof JsonObject publisher && !publisher.getBoolean("dummy", false)) {
        long feed = VideoRoomRequests.number(publisher, "id");
        put(feed, streams(feed, publisher.getJsonArray("streams")));
      }
    }
  }

  /** The audio and video streams (not disabled) of a publisher's {@code streams} list. */
  static List<FeedStream> streams(long feed, JsonArray streams) {
    List<FeedStream> out = new ArrayList<>();
    if (streams == null) {
      return out;
    }
    Map<String, Boolean> seen = new HashMap<>();
    for (JsonValue value : streams) {
      if (value instanceof JsonObject stream
          && !stream.getBoolean("disabled", false)
          && stream.containsKey("mid")) {
        String type = stream.getString("type", "");
        String mid = stream.getString("mid");
        if ((type.equals("audio") || type.equals("video")) && seen.put(mid, true) == null) {
          out.add(new FeedStream(feed, mid, type));
        }
      }
    }
    return out;
  }
}
