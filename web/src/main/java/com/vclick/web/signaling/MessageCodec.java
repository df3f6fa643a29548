package com.vclick.web.signaling;

import com.vclick.web.signaling.SignalingMessage.CallAdd;
import com.vclick.web.signaling.SignalingMessage.CallAddCancel;
import com.vclick.web.signaling.SignalingMessage.CallAnswer;
import com.vclick.web.signaling.SignalingMessage.CallCancel;
import com.vclick.web.signaling.SignalingMessage.CallDecline;
import com.vclick.web.signaling.SignalingMessage.CallHangup;
import com.vclick.web.signaling.SignalingMessage.CallInvite;
import com.vclick.web.signaling.SignalingMessage.CallLeave;
import com.vclick.web.signaling.SignalingMessage.CallMediaPath;
import com.vclick.web.signaling.SignalingMessage.CallResume;
import com.vclick.web.signaling.SignalingMessage.Candidate;
import com.vclick.web.signaling.SignalingMessage.ConferenceAnswer;
import com.vclick.web.signaling.SignalingMessage.ConferenceCandidate;
import com.vclick.web.signaling.SignalingMessage.ConferencePublish;
import com.vclick.web.signaling.SignalingMessage.Hello;
import com.vclick.web.signaling.SignalingMessage.Ping;
import com.vclick.web.signaling.SignalingMessage.PresenceUnwatch;
import com.vclick.web.signaling.SignalingMessage.PresenceWatch;
import com.vclick.web.signaling.SignalingMessage.Sdp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Strict JSON ⇄ {@link SignalingMessage}: unknown types, unknown or missing fields, wrong types,
 * oversized texts and other versions are refused with a {@link ProtocolException}.
 */
public final class MessageCodec {

  /** The largest message accepted (an SDP with many candidates stays well below). */
  public static final int MAX_MESSAGE_CHARS = 64 * 1024;

  static final int MAX_ID = 128;
  static final int MAX_SDP = 48 * 1024;
  static final int MAX_CANDIDATE = 1024;
  static final int MAX_TOKEN = 16 * 1024;
  static final int MAX_WATCH = 1000;
  static final int MAX_PERSON = 320;

  /** The most people one {@code call.invite} names (the call's own limit is configured). */
  static final int MAX_INVITEES = 50;

  private record Decoder(Set<String> fields, Function<Fields, SignalingMessage> build) {}

  /** Only messages a client may send are decoded; the server's own are refused if echoed. */
  private static final Map<String, Decoder> CLIENT_MESSAGES =
      Map.ofEntries(
          Map.entry(
              "hello", new Decoder(Set.of("token"), f -> new Hello(f.text("token", MAX_TOKEN)))),
          Map.entry("ping", new Decoder(Set.of(), f -> new Ping())),
          Map.entry(
              "presence.watch",
              new Decoder(Set.of("users"), f -> new PresenceWatch(f.ids("users", MAX_WATCH)))),
          Map.entry(
              "presence.unwatch",
              new Decoder(Set.of("users"), f -> new PresenceUnwatch(f.ids("users", MAX_WATCH)))),
          Map.entry(
              "call.invite",
              new Decoder(
                  Set.of("ref", "to", "media"),
                  f ->
                      new CallInvite(
                          f.id("ref"), f.people("to"), f.oneOf("media", "video", "audio")))),
          Map.entry(
              "call.add",
              new Decoder(
                  Set.of("callId", "ref", "to"),
                  f -> new CallAdd(f.id("callId"), f.id("ref"), f.text("to", MAX_PERSON)))),
          Map.entry(
              "call.add.cancel",
              new Decoder(
                  Set.of("callId", "userId"),
                  f -> new CallAddCancel(f.id("callId"), f.id("userId")))),
          callIdOnly("call.leave", CallLeave::new),
          Map.entry(
              "conference.publish",
              new Decoder(
                  Set.of("callId", "sdp"),
                  f -> new ConferencePublish(f.id("callId"), f.text("sdp", MAX_SDP)))),
          Map.entry(
              "conference.answer",
              new Decoder(
                  Set.of("callId", "sessionId", "sdp"),
                  f ->
                      new ConferenceAnswer(
                          f.id("callId"), f.id("sessionId"), f.text("sdp", MAX_SDP)))),
          Map.entry(
              "conference.candidate",
              new Decoder(
                  Set.of("callId", "sessionId", "candidate", "sdpMid", "sdpMLineIndex"),
                  f ->
                      new ConferenceCandidate(
                          f.id("callId"),
                          f.id("sessionId"),
                          f.text("candidate", MAX_CANDIDATE),
                          f.optionalText("sdpMid", 64),
                          f.smallInt("sdpMLineIndex")))),
          callIdOnly("call.answer", CallAnswer::new),
          callIdOnly("call.decline", CallDecline::new),
          callIdOnly("call.cancel", CallCancel::new),
          callIdOnly("call.hangup", CallHangup::new),
          callIdOnly("call.resume", CallResume::new),
          Map.entry(
              "call.media",
              new Decoder(
                  Set.of("callId", "path"),
                  f -> new CallMediaPath(f.id("callId"), f.oneOf("path", "relay", "direct")))),
          Map.entry(
              "sdp",
              new Decoder(
                  Set.of("callId", "kind", "sdp"),
                  f ->
                      new Sdp(
                          f.id("callId"),
                          f.oneOf("kind", "offer", "answer"),
                          f.text("sdp", MAX_SDP)))),
          Map.entry(
              "candidate",
              new Decoder(
                  Set.of("callId", "candidate", "sdpMid", "sdpMLineIndex"),
                  f ->
                      new Candidate(
                          f.id("callId"),
                          f.text("candidate", MAX_CANDIDATE),
                          f.optionalText("sdpMid", 64),
                          f.smallInt("sdpMLineIndex")))));

  private static Map.Entry<String, Decoder> callIdOnly(
      String type, Function<String, SignalingMessage> build) {
    return Map.entry(type, new Decoder(Set.of("callId"), f -> build.apply(f.id("callId"))));
  }

  private MessageCodec() {}

  /**
   * Reads one message a client sent.
   *
   * @throws ProtocolException with code {@code too-large}, {@code malformed}, {@code version},
   *     {@code unknown-type} or {@code invalid}
   */
  public static SignalingMessage decode(String text) {
    if (text == null || text.length() > MAX_MESSAGE_CHARS) {
      throw new ProtocolException(
          "too-large", "Messages are at most " + MAX_MESSAGE_CHARS + " characters.");
    }
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new ProtocolException("malformed", "A message is a JSON object.");
      }
      json = value.asJsonObject();
    } catch (JsonException e) {
      throw new ProtocolException("malformed", "The message is not valid JSON.");
    }
    var fields = new Fields(json);
    String type = fields.text("type", 40);
    if (!(json.get("v") instanceof JsonNumber version)
        || version.intValue() != SignalingMessage.VERSION) {
      throw new ProtocolException(
          "version", "Field 'v' must be " + SignalingMessage.VERSION + " (protocol version).");
    }
    Decoder decoder = CLIENT_MESSAGES.get(type);
    if (decoder == null) {
      throw new ProtocolException("unknown-type", "Unknown message type.");
    }
    for (String name : json.keySet()) {
      if (!name.equals("type") && !name.equals("v") && !decoder.fields().contains(name)) {
        throw new ProtocolException(
            "invalid", "Unknown field '" + clip(name) + "' in " + type + ".");
      }
    }
    return decoder.build().apply(fields);
  }

  /** Writes any message, with its type and version. */
  public static String encode(SignalingMessage message) {
    JsonObjectBuilder json = Json.createObjectBuilder().add("type", message.type());
    message.writeFields(json);
    return json.add("v", SignalingMessage.VERSION).build().toString();
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  /** Typed, bounded access to a message's fields. */
  private record Fields(JsonObject json) {

    String text(String name, int max) {
      if (!(json.get(name) instanceof JsonString value)) {
        throw new ProtocolException("invalid", "Field '" + name + "' must be a string.");
      }
      String text = value.getString();
      if (text.isEmpty() || text.length() > max) {
        throw new ProtocolException(
            "invalid", "Field '" + name + "' must have 1 to " + max + " characters.");
      }
      return text;
    }

    String optionalText(String name, int max) {
      return json.containsKey(name) && json.get(name) != JsonValue.NULL ? text(name, max) : "";
    }

    String id(String name) {
      String id = text(name, MAX_ID);
      for (int i = 0; i < id.length(); i++) {
        char c = id.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '@')) {
          throw new ProtocolException(
              "invalid", "Field '" + name + "' has characters ids cannot have.");
        }
      }
      return id;
    }

    String oneOf(String name, String... allowed) {
      String value = text(name, 20);
      for (String candidate : allowed) {
        if (candidate.equals(value)) {
          return value;
        }
      }
      throw new ProtocolException(
          "invalid", "Field '" + name + "' must be one of " + String.join(", ", allowed) + ".");
    }

    int smallInt(String name) {
      if (!(json.get(name) instanceof JsonNumber number)
          || !number.isIntegral()
          || number.longValue() < 0
          || number.longValue() > 1000) {
        throw new ProtocolException(
            "invalid", "Field '" + name + "' must be a whole number 0..1000.");
      }
      return number.intValue();
    }

    /** One person (a string) or a non-empty list of them. */
    List<String> people(String name) {
      if (json.get(name) instanceof JsonString) {
        return List.of(text(name, MAX_PERSON));
      }
      List<String> people = ids(name, MAX_INVITEES);
      if (people.isEmpty()) {
        throw new ProtocolException("invalid", "Field '" + name + "' names nobody.");
      }
      return people;
    }

    List<String> ids(String name, int max) {
      if (!(json.get(name) instanceof JsonArray array)) {
        throw new ProtocolException("invalid", "Field '" + name + "' must be an array.");
      }
      if (array.size() > max) {
        throw new ProtocolException(
            "invalid", "Field '" + name + "' has more than " + max + " entries.");
      }
      List<String> ids = new ArrayList<>(array.size());
      for (JsonValue value : array) {
        if (!(value instanceof JsonString text)
            || text.getString().isEmpty()
            || text.getString().length() > 320) {
          throw new ProtocolException(
              "invalid", "Field '" + name + "' must hold non-empty strings.");
        }
        ids.add(text.getString());
      }
      return ids;
    }
  }
}
