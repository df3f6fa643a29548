package com.vclick.media.janus;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.janus.JanusSession.Expectation;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.function.Consumer;

/**
 * How the adapter speaks {@code janus.plugin.videoroom} on a session: attach, synchronous requests
 * (answered in the HTTP response: {@code create}, {@code destroy}, {@code exists}), asynchronous
 * ones (answered by an event with the request's transaction, possibly with a JSEP), candidates,
 * detach. The waiter for an event is registered before the request is sent. Holds no conference
 * state.
 */
final class VideoRoomRequests {

  static final String PLUGIN = "janus.plugin.videoroom";

  private final JanusSession session;

  VideoRoomRequests(JanusSession session) {
    this.session = session;
  }

  JanusSession session() {
    return session;
  }

  long attach(Consumer<JsonObject> events) throws JanusException {
    return session.attach(PLUGIN, events);
  }

  /** A synchronous request; returns its plugin data (errors thrown). */
  JsonObject sync(long handle, String what, JsonObject body) throws JanusException {
    JsonObject answer = session.message(handle, what, body, null, session.api().newTransaction());
    JsonObject data = VideoCallHandles.pluginData(answer);
    if (data == null) {
      throw JanusException.error(what, 0, "unexpected answer");
    }
    check(data, what);
    return data;
  }

  /**
   * An asynchronous request; returns the event answering it (its plugin data checked for errors; a
   * JSEP when Janus sent one).
   */
  JsonObject request(long handle, String what, JsonObject body, JsonObject jsep, long deadline)
      throws JanusException {
    String transaction = session.api().newTransaction();
    try (Expectation answers =
        session.expect(event -> transaction.equals(event.getString("transaction", null)))) {
      JsonObject ack = session.message(handle, what, body, jsep, transaction);
      if (ack.containsKey("plugindata")) {
        check(VideoCallHandles.pluginData(ack), what);
        return ack;
      }
      while (true) {
        JsonObject event = answers.next(deadline, what);
        if ("event".equals(event.getString("janus", ""))) {
          check(VideoCallHandles.pluginData(event), what);
          return event;
        }
      }
    }
  }

  void trickle(long handle, IceCandidate candidate) throws JanusException {
    JsonObjectBuilder json = object();
    if (candidate.isEndOfCandidates()) {
      json.add("completed", true);
    } else {
      json.add("candidate", candidate.candidate());
      if (candidate.sdpMid() != null) {
        json.add("sdpMid", candidate.sdpMid());
      }
      if (candidate.sdpMLineIndex() != null) {
        json.add("sdpMLineIndex", candidate.sdpMLineIndex());
      }
    }
    session.trickle(handle, json.build());
  }

  void detach(long handle) throws JanusException {
    session.detach(handle);
  }

  jakarta.json.JsonArrayBuilder array() {
    return session.api().json().createArrayBuilder();
  }

  JsonObjectBuilder object() {
    return session.api().json().createObjectBuilder();
  }

  JsonObject jsep(String type, String sdp) {
    return object().add("type", type).add("sdp", sdp).build();
  }

  /** The SDP of an event's JSEP of that type; throws when there is none. */
  static String sdp(JsonObject event, String type, String what) throws JanusException {
    if (event.get("jsep") instanceof JsonObject jsep
        && type.equals(jsep.getString("type", ""))
        && !jsep.getString("sdp", "").isEmpty()) {
      return jsep.getString("sdp");
    }
    throw JanusException.error(what, 0, "Janus sent no " + type);
  }

  /** The {@code videoroom} field of an event's plugin data ({@code joined}, {@code event}…). */
  static String kind(JsonObject event) {
    JsonObject data = VideoCallHandles.pluginData(event);
    return data != null && data.get("videoroom") instanceof JsonString text ? text.getString() : "";
  }

  static long number(JsonObject data, String key) {
    JsonValue value = data.get(key);
    return value instanceof jakarta.json.JsonNumber n ? n.longValue() : 0;
  }

  private static void check(JsonObject data, String what) throws JanusException {
    if (data != null && (data.containsKey("error_code") || data.containsKey("error"))) {
      throw JanusException.error(what, data.getInt("error_code", 0), data.getString("error", "?"));
    }
  }
}
