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

  /** One call of the user that is not over, as listed in {@link Welcome}. */
  record CallSummary(
      String callId, String role, String state, String peer, String peerName, String media) {}

  /** Server → client: authenticated as this user, until {@code expiresAt} (ISO-8601). */
  record Welcome(
      String userId, String username, String displayName, String expiresAt, List<CallSummary> calls)
      implements SignalingMessage {
    @Override
    public String type() {
      return "welcome";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      var list = Json.createArrayBuilder();
      for (CallSummary call : calls) {
        list.add(
            Json.createObjectBuilder()
                .add("callId", call.callId())
                .add("role", call.role())
                .add("state", call.state())
                .add("peer", call.peer())
                .add("peerName", call.peerName())
                .add("media", call.media()));
      }
      json.add("userId", userId)
          .add("username", username)
          .add("displayName", displayName)
          .add("expiresAt", expiresAt)
          .add("calls", list);
    }

    public Welcome {
      calls = List.copyOf(calls);
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

  /** Client → server: tell me about these people's presence (user ids) from now on. */
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

  /** Client → server: stop telling me about these people. */
  record PresenceUnwatch(List<String> users) implements SignalingMessage {
    @Override
    public String type() {
      return "presence.unwatch";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("users", Json.createArrayBuilder(users));
    }

    public PresenceUnwatch {
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

  /**
   * Caller → server: call {@code to} (user id, username or email); {@code media} is {@code video}
   * or {@code audio}; {@code ref} is the client's correlation id, echoed in the answer.
   */
  record CallInvite(String ref, String to, String media) implements SignalingMessage {
    @Override
    public String type() {
      return "call.invite";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("ref", ref).add("to", to).add("media", media);
    }
  }

  /** Server → caller: the call exists and rings at the callee. */
  record CallRinging(String callId, String ref, String peer, String peerName, String media)
      implements SignalingMessage {
    @Override
    public String type() {
      return "call.ringing";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId)
          .add("ref", ref)
          .add("peer", peer)
          .add("peerName", peerName)
          .add("media", media);
    }
  }

  /** Server → every connection of the callee: someone calls. */
  record CallIncoming(String callId, String peer, String peerName, String media)
      implements SignalingMessage {
    @Override
    public String type() {
      return "call.incoming";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("peer", peer).add("peerName", peerName).add("media", media);
    }
  }

  /**
   * Server → caller: the invite {@code ref} crossed the callee's ringing invite; the caller is now
   * the callee of {@code callId}, already answered.
   */
  record CallMerged(String ref, String callId, String peer, String peerName, String media)
      implements SignalingMessage {
    @Override
    public String type() {
      return "call.merged";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("ref", ref)
          .add("callId", callId)
          .add("peer", peer)
          .add("peerName", peerName)
          .add("media", media);
    }
  }

  /** Callee → server: answer on this connection. */
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

  /** Server → caller: the callee answered; make the offer. */
  record CallAnswered(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.answered";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Callee → server: declined. */
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

  /** Caller → server: gave up before an answer. */
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

  /** Either party → server: the call is over. */
  record CallHangup(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.hangup";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Either party → server, after a reconnect: bind this connection to the call. */
  record CallResume(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.resume";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Either party → server once connected: {@code relay} or {@code direct}. */
  record CallMediaPath(String callId, String path) implements SignalingMessage {
    @Override
    public String type() {
      return "call.media";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("path", path);
    }
  }

  /** Server → the parties' connections: it ended, and why; {@code ref} only when it never rang. */
  record CallEnded(String callId, String reason, String ref) implements SignalingMessage {
    @Override
    public String type() {
      return "call.ended";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("reason", reason);
      if (ref != null) {
        json.add("ref", ref);
      }
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
