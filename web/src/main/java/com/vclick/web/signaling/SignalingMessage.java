package com.vclick.web.signaling;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * Every message of protocol version {@value #VERSION}. On the wire each is a JSON object with
 * {@code "type"} (the name below) and {@code "v"}; the other fields are the record components.
 */
public sealed interface SignalingMessage {

  int VERSION = 1;

  /** The wire name of this message type. */
  String type();

  /** Adds this message's fields (not type and version) to a JSON object. */
  void writeFields(JsonObjectBuilder json);

  /** Client → server, first message: the Keycloak access token. */
  record Hello(String token) implements SignalingMessage {
    @Override
    public String type() {
      return "hello";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("token", token);
    }

    @Override
    public String toString() {
      return "Hello[token=***]";
    }
  }

  /** Server → client: authenticated as this user. */
  record Welcome(String userId, String username) implements SignalingMessage {
    @Override
    public String type() {
      return "welcome";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("userId", userId).add("username", username);
    }
  }

  /** Client → server heartbeat (at least every 20 s). */
  record Ping() implements SignalingMessage {
    @Override
    public String type() {
      return "ping";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {}
  }

  /** Server → client heartbeat answer. */
  record Pong() implements SignalingMessage {
    @Override
    public String type() {
      return "pong";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {}
  }

  /** Client → server: tell me about these people's presence from now on. */
  record PresenceWatch(List<String> users) implements SignalingMessage {
    @Override
    public String type() {
      return "presence.watch";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("users", Json.createArrayBuilder(users));
    }

    public PresenceWatch {
      users = List.copyOf(users);
    }
  }

  /** Server → client: one person's presence ({@code online}, {@code busy}, {@code offline}). */
  record PresenceUpdate(String user, String presence) implements SignalingMessage {
    @Override
    public String type() {
      return "presence.update";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("user", user).add("presence", presence);
    }
  }

  /** Caller → server: call this person; {@code media} is {@code video} or {@code audio}. */
  record CallInvite(String callId, String to, String media) implements SignalingMessage {
    @Override
    public String type() {
      return "call.invite";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("to", to).add("media", media);
    }
  }

  /** Server → callee's connections: someone calls; server → caller: it rings. */
  record CallRinging(String callId, String from, String media) implements SignalingMessage {
    @Override
    public String type() {
      return "call.ringing";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("from", from).add("media", media);
    }
  }

  /** Callee → server → caller: answered. */
  record CallAnswer(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.answer";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Callee → server → caller: declined. */
  record CallDecline(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.decline";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Caller → server → callee: gave up before an answer. */
  record CallCancel(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.cancel";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Server → caller: the callee is in another call. */
  record CallBusy(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.busy";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Either party → server → the other: the call is over. */
  record CallHangup(String callId, String reason) implements SignalingMessage {
    @Override
    public String type() {
      return "call.hangup";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("reason", reason);
    }
  }

  /** Between the two parties of one call: an SDP offer or answer ({@code kind}). */
  record Sdp(String callId, String kind, String sdp) implements SignalingMessage {
    @Override
    public String type() {
      return "sdp";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("kind", kind).add("sdp", sdp);
    }
  }

  /** Between the two parties of one call: one trickled ICE candidate. */
  record Candidate(String callId, String candidate, String sdpMid, int sdpMLineIndex)
      implements SignalingMessage {
    @Override
    public String type() {
      return "candidate";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId)
          .add("candidate", candidate)
          .add("sdpMid", sdpMid)
          .add("sdpMLineIndex", sdpMLineIndex);
    }
  }

  /** Server → client: a message was refused; nothing changed. */
  record Error(String code, String detail, String inReplyTo) implements SignalingMessage {
    @Override
    public String type() {
      return "error";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("code", code).add("detail", detail);
      if (inReplyTo != null) {
        json.add("inReplyTo", inReplyTo);
      }
    }
  }
}
