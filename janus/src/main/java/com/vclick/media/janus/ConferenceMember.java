package com.vclick.media.janus;

import java.time.Instant;
import java.util.List;

/**
 * One participant of a {@link JanusConference}: its VideoRoom publisher handle and feed (the
 * browser's publish session), the streams it publishes as Janus answered, and its receive session
 * (null while there is nobody to receive). Not thread-safe: the conference guards it.
 */
final class ConferenceMember {

  final String id;
  final long publisher;
  final long feed;
  final Instant joinedAt;
  List<RoomFeeds.FeedStream> streams;
  ConferenceSubscription subscription;
  boolean publishFlowing;

  ConferenceMember(
      String id, long publisher, long feed, Instant joinedAt, List<RoomFeeds.FeedStream> streams) {
    this.id = id;
    this.publisher = publisher;
    this.feed = feed;
    this.joinedAt = joinedAt;
    this.streams = streams;
  }
}
