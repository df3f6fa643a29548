package com.vclick.media.janus;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.janus.JanusSession.Expectation;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.EnumMap;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The two {@code janus.plugin.videocall} handles of one call, registered as {@code <callId>-e}
 * (enterprise) and {@code <callId>-f} (far end), and how the adapter speaks VideoCall on them: a
 * request and its answer, a JSEP and the JSEP Janus hands to the other handle, trickled candidates.
 * The waiter for an event is always registered before the request is sent (Janus' event often beats
 * its HTTP {@code ack}). Holds no call state.
 */
final class VideoCallHandles {

  private static final Logger LOG = Logger.getLogger(VideoCallHandles.class.getName());

  static final String PLUGIN = "janus.plugin.videocall";

  private final JanusSession session;
  private final String callId;
  private final EnumMap<Leg, Long> handles = new EnumMap<>(Leg.class);
  private final EnumMap<Leg, String> usernames = new EnumMap<>(Leg.class);

  VideoCallHandles(JanusSession session, String callId) {
    this.session = session;
    this.callId = callId;
    usernames.put(Leg.ENTERPRISE, callId + "-e");
    usernames.put(Leg.FAR_END, callId + "-f");
  }

  /**
   * Attaches both handles (their events go to {@code events}, on the poll thread) and registers
   * their usernames; the caller detaches on failure.
   */
  void attachAndRegister(BiConsumer<Leg, JsonObject> events, long deadline) throws JanusException {
    for (Leg leg : Leg.values()) {
      handles.put(leg, session.attach(PLUGIN, event -> events.accept(leg, event)));
    }
    for (Leg leg : Leg.values()) {
      JsonObject body =
          object().add("request", "register").add("username", usernames.get(leg)).build();
      JsonObject result = request(leg, "register", body, null, deadline);
      if (!"registered".equals(resultEvent(result))) {
        throw JanusException.error("register", 0, "unexpected answer");
      }
    }
  }

  long handle(Leg leg) {
    return handles.get(leg);
  }

  String username(Leg leg) {
    return usernames.get(leg);
  }

  /**
   * Sends a JSEP from {@code from}'s handle and waits for the JSEP Janus hands to {@code to}'s
   * handle in a {@code targetEvent} event; the request's own answer event only counts when it is an
   * error.
   */
  String exchange(
      Leg from,
      String what,
      JsonObject body,
      JsonObject jsep,
      Leg to,
      String targetEvent,
      String expectedType,
      long deadline)
      throws JanusException {
    String transaction = session.api().newTransaction();
    long target = handles.get(to);
    try (Expectation answers =
        session.expect(
            event ->
                transaction.equals(event.getString("transaction", null))
                    || (JanusSession.sender(event) == target
                        && targetEvent.equals(resultEvent(event))
                        && event.get("jsep") instanceof JsonObject))) {
      JsonObject ack = session.message(handles.get(from), what, body, jsep, transaction);
      checkPluginAnswer(ack, what);
      while (true) {
        JsonObject event = answers.next(deadline, what);
        if (transaction.equals(event.getString("transaction", null))) {
          checkPluginAnswer(event, what);
          continue; // calling, accepted, set: the JSEP comes with the other handle's event
        }
        JsonObject result = event.getJsonObject("jsep");
        String type = result.getString("type", "");
        String sdp = result.getString("sdp", "");
        if (!expectedType.equals(type) || sdp.isEmpty()) {
          throw JanusException.error(what, 0, "Janus sent an unexpected " + type + " description");
        }
        return sdp;
      }
    }
  }

  /** Sends a plugin request from {@code leg}'s handle and returns its answer event. */
  JsonObject request(Leg leg, String what, JsonObject body, JsonObject jsep, long deadline)
      throws JanusException {
    String transaction = session.api().newTransaction();
    try (Expectation answers =
        session.expect(event -> transaction.equals(event.getString("transaction", null)))) {
      JsonObject ack = session.message(handles.get(leg), what, body, jsep, transaction);
      if (ack.containsKey("plugindata")) {
        checkPluginAnswer(ack, what);
        return ack;
      }
      while (true) {
        JsonObject event = answers.next(deadline, what);
        if ("event".equals(event.getString("janus", ""))) {
          checkPluginAnswer(event, what);
          return event;
        }
      }
    }
  }

  /** A candidate of {@code leg}'s peer (or its end of candidates) to that leg's handle. */
  void trickle(Leg leg, IceCandidate candidate) throws JanusException {
    session.trickle(handles.get(leg), candidateJson(candidate));
  }

  /**
   * Ends the VideoCall call (best effort, only while Janus has the session). Returns whether Janus
   * had forgotten the call already (session or handle unknown, Janus unreachable, session lost).
   */
  boolean hangUp(long deadline) {
    if (!session.isUsable()) {
      return session.isLost();
    }
    try {
      request(Leg.ENTERPRISE, "hangup", object().add("request", "hangup").build(), null, deadline);
      return false;
    } catch (JanusException e) {
      LOG.log(Level.FINE, "call {0}: hangup: {1}", new Object[] {callId, e.getMessage()});
      return e.unreachable()
          || e.isSessionLost()
          || e.code() == JanusException.HANDLE_NOT_FOUND
          || session.isLost();
    }
  }

  /** Detaches both handles (best effort). */
  void detachAll() {
    for (Long handle : handles.values()) {
      try {
        session.detach(handle);
      } catch (JanusException e) {
        LOG.log(Level.FINE, "call {0}: detach: {1}", new Object[] {callId, e.getMessage()});
      }
    }
  }

  private static void checkPluginAnswer(JsonObject answer, String what) throws JanusException {
    JsonObject data = pluginData(answer);
    if (data == null) {
      return;
    }
    if (data.containsKey("error_code") || data.containsKey("error")) {
      throw JanusException.error(what, data.getInt("error_code", 0), data.getString("error", "?"));
    }
    if ("hangup".equals(resultEvent(answer))) {
      JsonObject result = data.getJsonObject("result");
      throw JanusException.error(what, 0, "hung up: " + result.getString("reason", "?"));
    }
  }

  JsonObjectBuilder object() {
    return session.api().json().createObjectBuilder();
  }

  JsonObject jsep(String type, String sdp) {
    return object().add("type", type).add("sdp", sdp).build();
  }

  private JsonObject candidateJson(IceCandidate candidate) {
    if (candidate.isEndOfCandidates()) {
      return object().add("completed", true).build();
    }
    JsonObjectBuilder json = object().add("candidate", candidate.candidate());
    if (candidate.sdpMid() != null) {
      json.add("sdpMid", candidate.sdpMid());
    }
    if (candidate.sdpMLineIndex() != null) {
      json.add("sdpMLineIndex", candidate.sdpMLineIndex());
    }
    return json.build();
  }

  static JsonObject pluginData(JsonObject event) {
    JsonObject plugindata = event.getJsonObject("plugindata");
    return plugindata == null ? null : plugindata.getJsonObject("data");
  }

  static String resultEvent(JsonObject event) {
    JsonObject data = pluginData(event);
    if (data == null || !(data.get("result") instanceof JsonObject result)) {
      return null;
    }
    JsonValue kind = result.get("event");
    return kind instanceof JsonString text ? text.getString() : null;
  }
}
