package com.vclick.media.janus;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link FakeJanus}' VideoRoom plugin (multistream, as Janus 1.1.2 answers): {@code create}/{@code
 * destroy}/{@code exists} (synchronous), publishers ({@code joinandconfigure}, {@code configure}
 * with a JSEP or {@code record}, {@code leave}), subscribers ({@code join} with {@code streams},
 * {@code start} with the answer, {@code update} with {@code subscribe}/{@code unsubscribe}, {@code
 * leave}). A publisher counts as started (its PeerConnection up: {@code webrtcup}, the others'
 * {@code publishers} event) as soon as its answer went out; subscriptions only to started feeds;
 * {@code autoupdate:false} as the adapter asks: a feed going away only deactivates the subscriber's
 * streams, the next {@code update} offers.
 */
final class FakeVideoRoom {

  static final String PLUGIN = "janus.plugin.videoroom";

  /** How FakeJanus lets the plugin talk: push an event from a handle. */
  interface Events {
    void push(FakeJanus.Handle handle, String transaction, JsonObjectBuilder data, JsonObject jsep);

    void pushCore(FakeJanus.Handle handle, JsonObjectBuilder event);
  }

  final class Room {
    final long id;
    final int maxPublishers;
    final String secret;
    final Map<Long, Publisher> publishers = new ConcurrentHashMap<>();
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    Room(long id, int maxPublishers, String secret) {
      this.id = id;
      this.maxPublishers = maxPublishers;
      this.secret = secret;
    }
  }

  record Stream(String mid, String type, int mindex) {}

  final class Publisher {
    final FakeJanus.Handle handle;
    final Room room;
    final long feed;
    volatile List<Stream> streams = List.of();
    volatile boolean started;
    volatile String recordingBase;
    final List<String> recordings = new CopyOnWriteArrayList<>();

    Publisher(FakeJanus.Handle handle, Room room, long feed) {
      this.handle = handle;
      this.room = room;
      this.feed = feed;
    }
  }

  final class SubStream {
    final String mid;
    final String type;
    volatile Publisher feed;
    final String feedMid;

    SubStream(String mid, String type, Publisher feed, String feedMid) {
      this.mid = mid;
      this.type = type;
      this.feed = feed;
      this.feedMid = feedMid;
    }
  }

  final class Subscriber {
    final FakeJanus.Handle handle;
    final Room room;
    final List<SubStream> streams = new CopyOnWriteArrayList<>();
    volatile boolean answered;
    volatile boolean skippedAutoupdate;
    volatile int offers;

    Subscriber(FakeJanus.Handle handle, Room room) {
      this.handle = handle;
      this.room = room;
    }
  }

  private final AtomicLong ids = new AtomicLong(7000);
  final Map<Long, Room> rooms = new ConcurrentHashMap<>();
  final Map<Long, Publisher> publisherByHandle = new ConcurrentHashMap<>();
  final Map<Long, Subscriber> subscriberByHandle = new ConcurrentHashMap<>();
  private final Events events;

  /** Rooms destroyed so far (ids). */
  final List<Long> destroyed = new CopyOnWriteArrayList<>();

  FakeVideoRoom(Events events) {
    this.events = events;
  }

  // --- synchronous requests (answered in the HTTP response) -----------------------------------

  /** The plugin data of a synchronous request's answer, or null when it is asynchronous. */
  JsonObject synchronous(String request, JsonObject body) {
    switch (request) {
      case "create" -> {
        long id = body.containsKey("room") ? body.getJsonNumber("room").longValue() : next();
        if (rooms.containsKey(id)) {
          return error(427, "Room " + id + " already exists");
        }
        rooms.put(id, new Room(id, body.getInt("publishers", 3), body.getString("secret", null)));
        return Json.createObjectBuilder()
            .add("videoroom", "created")
            .add("room", id)
            .add("permanent", false)
            .build();
      }
      case "destroy" -> {
        long id = body.getJsonNumber("room").longValue();
        Room room = rooms.get(id);
        if (room == null) {
          return error(426, "No such room (" + id + ")");
        }
        if (room.secret != null && !room.secret.equals(body.getString("secret", ""))) {
          return error(433, "Unauthorized (wrong secret)");
        }
        rooms.remove(id);
        destroyed.add(id);
        for (Publisher p : room.publishers.values()) {
          events.push(
              p.handle,
              null,
              Json.createObjectBuilder().add("videoroom", "destroyed").add("room", id),
              null);
          publisherByHandle.remove(p.handle.id);
        }
        for (Subscriber s : room.subscribers) {
          subscriberByHandle.remove(s.handle.id);
        }
        return Json.createObjectBuilder().add("videoroom", "destroyed").add("room", id).build();
      }
      case "exists" -> {
        long id = body.getJsonNumber("room").longValue();
        return Json.createObjectBuilder()
            .add("videoroom", "success")
            .add("room", id)
            .add("exists", rooms.containsKey(id))
            .build();
      }
      default -> {
        return null;
      }
    }
  }

  // --- asynchronous requests -------------------------------------------------------------------

  void message(
      FakeJanus.Handle handle, String request, JsonObject body, JsonObject jsep, String tx) {
    Publisher publisher = publisherByHandle.get(handle.id);
    Subscriber subscriber = subscriberByHandle.get(handle.id);
    switch (request) {
      case "joinandconfigure", "join" -> {
        if ("subscriber".equals(body.getString("ptype", ""))) {
          subscribe(handle, body, tx);
        } else {
          joinPublisher(handle, request, body, jsep, tx);
        }
      }
      case "configure", "publish" -> {
        if (publisher == null) {
          fail(handle, tx, 424, "Not a publisher");
          return;
        }
        configure(publisher, body, jsep, tx);
      }
      case "start" -> {
        if (subscriber == null) {
          fail(handle, tx, 424, "Not a subscriber");
          return;
        }
        if (jsep == null && !subscriber.answered) {
          fail(handle, tx, 429, "Missing SDP answer");
          return;
        }
        subscriber.answered = true;
        events.push(handle, tx, event().add("started", "ok"), null);
        events.pushCore(handle, Json.createObjectBuilder().add("janus", "webrtcup"));
      }
      case "update" -> {
        if (subscriber == null) {
          fail(handle, tx, 424, "Not a subscriber");
          return;
        }
        update(subscriber, body, tx);
      }
      case "leave" -> {
        if (publisher != null) {
          leavePublisher(publisher);
          events.push(handle, tx, event().add("leaving", "ok"), null);
        } else if (subscriber != null) {
          subscriber.room.subscribers.remove(subscriber);
          subscriberByHandle.remove(handle.id);
          events.push(handle, tx, event().add("left", "ok"), null);
        } else {
          fail(handle, tx, 423, "Not in a room");
        }
      }
      default -> fail(handle, tx, 422, "Unknown request '" + request + "'");
    }
  }

  /** The handle went away (detach): as a {@code leave}. */
  void detached(FakeJanus.Handle handle) {
    Publisher publisher = publisherByHandle.get(handle.id);
    if (publisher != null) {
      leavePublisher(publisher);
    }
    Subscriber subscriber = subscriberByHandle.remove(handle.id);
    if (subscriber != null) {
      subscriber.room.subscribers.remove(subscriber);
    }
  }

  private void joinPublisher(
      FakeJanus.Handle handle, String request, JsonObject body, JsonObject jsep, String tx) {
    Room room = rooms.get(body.getJsonNumber("room").longValue());
    if (room == null) {
      fail(handle, tx, 426, "No such room");
      return;
    }
    if (room.publishers.size() >= room.maxPublishers) {
      fail(handle, tx, 432, "Maximum number of publishers (" + room.maxPublishers + ") reached");
      return;
    }
    if (request.equals("joinandconfigure") && jsep == null) {
      fail(handle, tx, 429, "Missing SDP");
      return;
    }
    long feed = next();
    var publisher = new Publisher(handle, room, feed);
    room.publishers.put(feed, publisher);
    publisherByHandle.put(handle.id, publisher);
    JsonArrayBuilder others = Json.createArrayBuilder();
    for (Publisher other : room.publishers.values()) {
      if (other != publisher && other.started) {
        others.add(describe(other));
      }
    }
    JsonObjectBuilder joined =
        Json.createObjectBuilder()
            .add("videoroom", "joined")
            .add("room", room.id)
            .add("id", feed)
            .add("private_id", next())
            .add("publishers", others);
    if (jsep == null) {
      events.push(handle, tx, joined, null);
      return;
    }
    record(publisher, body);
    publisher.streams = streams(jsep.getString("sdp"));
    joined.add("streams", streamList(publisher.streams));
    events.push(handle, tx, joined, answer(jsep));
    started(publisher);
  }

  private void configure(Publisher publisher, JsonObject body, JsonObject jsep, String tx) {
    record(publisher, body);
    if (publisher.started) {
      writeRecordings(publisher); // Janus opens the recorders at once for a started publisher
    }
    if (jsep == null) {
      events.push(publisher.handle, tx, event().add("configured", "ok"), null);
      return;
    }
    List<Stream> before = publisher.streams;
    publisher.streams = streams(jsep.getString("sdp"));
    events.push(
        publisher.handle,
        tx,
        event().add("configured", "ok").add("streams", streamList(publisher.streams)),
        answer(jsep));
    if (!publisher.started) {
      started(publisher);
    } else if (!before.equals(publisher.streams)) {
      announce(publisher);
    }
  }

  private void record(Publisher publisher, JsonObject body) {
    if (!body.containsKey("record")) {
      return;
    }
    if (!body.getBoolean("record")) {
      publisher.recordingBase = null;
      publisher.recordings.add("stop");
      return;
    }
    String base = body.getString("filename");
    publisher.recordingBase = base;
    publisher.recordings.add(base);
  }

  /** Writes the recording files of a publisher's streams (as Janus does once media is up). */
  private void writeRecordings(Publisher publisher) {
    String base = publisher.recordingBase;
    if (base == null) {
      return;
    }
    for (Stream stream : publisher.streams) {
      try {
        Path file = Path.of(base + "-" + stream.type() + "-" + stream.mindex() + ".mjr");
        if (!Files.exists(file)) {
          Files.writeString(file, "MJR00002");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void started(Publisher publisher) {
    publisher.started = true;
    events.pushCore(publisher.handle, Json.createObjectBuilder().add("janus", "webrtcup"));
    writeRecordings(publisher);
    announce(publisher);
  }

  private void announce(Publisher publisher) {
    writeRecordings(publisher);
    for (Publisher other : publisher.room.publishers.values()) {
      if (other != publisher) {
        events.push(
            other.handle,
            null,
            event()
                .add("room", publisher.room.id)
                .add("publishers", Json.createArrayBuilder().add(describe(publisher))),
            null);
      }
    }
  }

  private void leavePublisher(Publisher publisher) {
    Room room = publisher.room;
    if (room.publishers.remove(publisher.feed) == null) {
      return;
    }
    publisherByHandle.remove(publisher.handle.id);
    for (Subscriber subscriber : room.subscribers) {
      for (SubStream stream : subscriber.streams) {
        if (stream.feed == publisher) {
          stream.feed = null; // autoupdate:false: inactive, offered at the next update
          subscriber.skippedAutoupdate = true;
        }
      }
    }
    for (Publisher other : room.publishers.values()) {
      if (publisher.started) {
        events.push(
            other.handle,
            null,
            event().add("room", room.id).add("unpublished", publisher.feed),
            null);
      }
      events.push(
          other.handle, null, event().add("room", room.id).add("leaving", publisher.feed), null);
    }
  }

  private void subscribe(FakeJanus.Handle handle, JsonObject body, String tx) {
    Room room = rooms.get(body.getJsonNumber("room").longValue());
    if (room == null) {
      fail(handle, tx, 426, "No such room");
      return;
    }
    if (body.getBoolean("autoupdate", true)) {
      fail(handle, tx, 499, "the fake only does autoupdate:false");
      return;
    }
    var subscriber = new Subscriber(handle, room);
    for (JsonValue value : body.getJsonArray("streams")) {
      JsonObject wanted = value.asJsonObject();
      Publisher feed = room.publishers.get(wanted.getJsonNumber("feed").longValue());
      if (feed == null || !feed.started) {
        fail(handle, tx, 428, "No such feed (" + wanted.getJsonNumber("feed") + ")");
        return;
      }
      add(subscriber, feed, wanted.getString("mid", null));
    }
    room.subscribers.add(subscriber);
    subscriberByHandle.put(handle.id, subscriber);
    offer(subscriber, tx, "attached");
  }

  private void update(Subscriber subscriber, JsonObject body, String tx) {
    JsonArray subscribe = body.getJsonArray("subscribe");
    JsonArray unsubscribe = body.getJsonArray("unsubscribe");
    if (subscribe == null && unsubscribe == null) {
      fail(subscriber.handle, tx, 429, "At least one of either 'subscribe' or 'unsubscribe'");
      return;
    }
    // Janus 1.1.2 refuses an empty list rather than ignoring it (seen on the real one).
    if (subscribe != null && subscribe.isEmpty()) {
      fail(subscriber.handle, tx, 430, "Empty subscription list");
      return;
    }
    if (unsubscribe != null && unsubscribe.isEmpty()) {
      fail(subscriber.handle, tx, 430, "Empty unsubscription list");
      return;
    }
    int changes = 0;
    if (unsubscribe != null) {
      for (JsonValue value : unsubscribe) {
        String subMid = value.asJsonObject().getString("sub_mid", null);
        for (SubStream stream : subscriber.streams) {
          if (stream.mid.equals(subMid) && stream.feed != null) {
            stream.feed = null;
            changes++;
          }
        }
      }
    }
    if (subscribe != null) {
      for (JsonValue value : subscribe) {
        JsonObject wanted = value.asJsonObject();
        Publisher feed = subscriber.room.publishers.get(wanted.getJsonNumber("feed").longValue());
        if (feed == null || !feed.started) {
          continue; // Janus: "Publisher not found, not subscribing..."
        }
        changes += add(subscriber, feed, wanted.getString("mid", null));
      }
    }
    if (subscriber.skippedAutoupdate) {
      subscriber.skippedAutoupdate = false;
      changes++;
    }
    if (changes == 0) {
      events.push(
          subscriber.handle,
          tx,
          Json.createObjectBuilder().add("videoroom", "updated").add("room", subscriber.room.id),
          null);
      return;
    }
    if (!subscriber.answered) {
      events.push(
          subscriber.handle,
          tx,
          Json.createObjectBuilder().add("videoroom", "updating").add("room", subscriber.room.id),
          null);
      return;
    }
    offer(subscriber, tx, "updated");
  }

  /** Adds a subscription stream per (wanted) stream of {@code feed}, reusing inactive m-lines. */
  private int add(Subscriber subscriber, Publisher feed, String mid) {
    int added = 0;
    for (Stream stream : feed.streams) {
      if (mid != null && !mid.equals(stream.mid())) {
        continue;
      }
      SubStream reuse = null;
      for (SubStream existing : subscriber.streams) {
        if (existing.feed == null && existing.type.equals(stream.type())) {
          reuse = existing;
          break;
        }
      }
      if (reuse != null) {
        subscriber.streams.set(
            subscriber.streams.indexOf(reuse),
            new SubStream(reuse.mid, stream.type(), feed, stream.mid()));
      } else {
        subscriber.streams.add(
            new SubStream(
                String.valueOf(subscriber.streams.size()), stream.type(), feed, stream.mid()));
      }
      added++;
    }
    return added;
  }

  private void offer(Subscriber subscriber, String tx, String what) {
    subscriber.answered = false;
    subscriber.offers++;
    var sdp =
        new StringBuilder("v=0\r\no=- 4242 ")
            .append(subscriber.offers)
            .append(" IN IP4 127.0.0.1\r\ns=VideoRoom\r\nt=0 0\r\na=group:BUNDLE");
    for (SubStream stream : subscriber.streams) {
      sdp.append(' ').append(stream.mid);
    }
    sdp.append("\r\n");
    JsonArrayBuilder list = Json.createArrayBuilder();
    int mindex = 0;
    for (SubStream stream : subscriber.streams) {
      boolean active = stream.feed != null;
      sdp.append("m=")
          .append(stream.type)
          .append(active ? " 9" : " 0")
          .append(" UDP/TLS/RTP/SAVPF ")
          .append(stream.type.equals("audio") ? "111" : "96")
          .append(
              "\r\nc=IN IP4 127.0.0.1\r\na=ice-ufrag:fkvr\r\na=ice-pwd:fakefakefakefakefakefake\r\n")
          .append(FakeJanus.FINGERPRINT)
          .append("\r\na=setup:actpass\r\na=mid:")
          .append(stream.mid)
          .append(active ? "\r\na=sendonly\r\n" : "\r\na=inactive\r\n");
      JsonObjectBuilder entry =
          Json.createObjectBuilder()
              .add("type", stream.type)
              .add("active", active)
              .add("mindex", mindex++)
              .add("mid", stream.mid)
              .add("ready", false)
              .add("send", true);
      if (active) {
        entry.add("feed_id", stream.feed.feed).add("feed_mid", stream.feedMid);
      }
      list.add(entry);
    }
    events.push(
        subscriber.handle,
        tx,
        Json.createObjectBuilder()
            .add("videoroom", what)
            .add("room", subscriber.room.id)
            .add("streams", list),
        Json.createObjectBuilder().add("type", "offer").add("sdp", sdp.toString()).build());
  }

  private JsonObject describe(Publisher publisher) {
    return Json.createObjectBuilder()
        .add("id", publisher.feed)
        .add("streams", streamList(publisher.streams))
        .build();
  }

  private static JsonArrayBuilder streamList(List<Stream> streams) {
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (Stream stream : streams) {
      list.add(
          Json.createObjectBuilder()
              .add("type", stream.type())
              .add("mindex", stream.mindex())
              .add("mid", stream.mid()));
    }
    return list;
  }

  /** The audio/video sections of an SDP that send (mid, type, index). */
  static List<Stream> streams(String sdp) {
    List<Stream> streams = new ArrayList<>();
    int index = -1;
    String type = null;
    String mid = null;
    boolean sends = true;
    for (String line : (sdp + "\r\nm=end 0 x").split("\r?\n")) {
      if (line.startsWith("m=")) {
        if (type != null && mid != null && sends && !type.equals("application")) {
          streams.add(new Stream(mid, type, index));
        }
        index++;
        type = line.substring(2, line.indexOf(' '));
        mid = null;
        sends = !line.startsWith("m=" + type + " 0 ");
      } else if (line.startsWith("a=mid:")) {
        mid = line.substring(6);
      } else if (line.equals("a=recvonly") || line.equals("a=inactive")) {
        sends = false;
      }
    }
    return streams;
  }

  private static JsonObject answer(JsonObject offer) {
    String sdp =
        offer
            .getString("sdp")
            .replaceAll("a=fingerprint:[^\r\n]*", FakeJanus.FINGERPRINT)
            .replaceAll("a=ice-ufrag:[^\r\n]*", "a=ice-ufrag:fkvr")
            .replace("a=sendrecv", "a=recvonly")
            .replace("a=sendonly", "a=recvonly");
    return Json.createObjectBuilder().add("type", "answer").add("sdp", sdp).build();
  }

  private void fail(FakeJanus.Handle handle, String tx, int code, String reason) {
    events.push(handle, tx, event().add("error_code", code).add("error", reason), null);
  }

  private static JsonObject error(int code, String reason) {
    return Json.createObjectBuilder()
        .add("videoroom", "event")
        .add("error_code", code)
        .add("error", reason)
        .build();
  }

  private static JsonObjectBuilder event() {
    return Json.createObjectBuilder().add("videoroom", "event");
  }

  private long next() {
    return ids.incrementAndGet();
  }

  /** Runs {@code check} on every publisher (tests). */
  void forEachPublisher(Consumer<Publisher> check) {
    rooms.values().forEach(room -> room.publishers.values().forEach(check));
  }
}
