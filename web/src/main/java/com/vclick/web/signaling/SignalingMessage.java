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
   * Caller → server: call {@code to} (user ids, usernames or emails: one for a two-party call,
   * several for a conference from the start); {@code media} is {@code video} or {@code audio};
   * {@code ref} is the client's correlation id, echoed in the answer.
   */
  record CallInvite(String ref, List<String> to, String media) implements SignalingMessage {
    public CallInvite {
      to = List.copyOf(to);
    }

    /** A two-party call. */
    public CallInvite(String ref, String to, String media) {
      this(ref, List.of(to), media);
    }

    @Override
    public String type() {
      return "call.invite";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("ref", ref);
      if (to.size() == 1) {
        json.add("to", to.get(0));
      } else {
        json.add("to", Json.createArrayBuilder(to));
      }
      json.add("media", media);
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

  /**
   * Server → every connection of the invitee: someone calls; {@code parties} (who is in a call that
   * grew beyond two) is left out (null) for a two-party call.
   */
  record CallIncoming(
      String callId, String peer, String peerName, String media, List<PartyEntry> parties)
      implements SignalingMessage {
    public CallIncoming {
      parties = parties == null ? null : List.copyOf(parties);
    }

    @Override
    public String type() {
      return "call.incoming";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("peer", peer).add("peerName", peerName).add("media", media);
      if (parties != null) {
        json.add("parties", PartyEntry.array(parties, false));
      }
    }
  }

  /**
   * One person of a call in {@code call.parties}, {@code call.incoming}, {@code conference.join}.
   */
  record PartyEntry(String userId, String name, String state) {
    static jakarta.json.JsonArrayBuilder array(List<PartyEntry> parties, boolean withState) {
      var list = Json.createArrayBuilder();
      for (PartyEntry p : parties) {
        var entry = Json.createObjectBuilder().add("userId", p.userId()).add("name", p.name());
        if (withState) {
          entry.add("state", p.state());
        }
        list.add(entry);
      }
      return list;
    }
  }

  /** A party of an active call → server: invite {@code to} (user id, username or email) into it. */
  record CallAdd(String callId, String ref, String to) implements SignalingMessage {
    @Override
    public String type() {
      return "call.add";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("ref", ref).add("to", to);
    }
  }

  /** A party → server: give up the ringing invite of {@code userId}. */
  record CallAddCancel(String callId, String userId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.add.cancel";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("userId", userId);
    }
  }

  /** Server → every joined party: one invite ended without the invitee joining. */
  record CallAddEnded(String callId, String ref, String userId, String reason)
      implements SignalingMessage {
    @Override
    public String type() {
      return "call.add.ended";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
      if (ref != null) {
        json.add("ref", ref);
      }
      json.add("userId", userId).add("reason", reason);
    }
  }

  /** Server → every joined party of a call that grew beyond two: who is in it now. */
  record CallParties(String callId, List<PartyEntry> parties) implements SignalingMessage {
    public CallParties {
      parties = List.copyOf(parties);
    }

    @Override
    public String type() {
      return "call.parties";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("parties", PartyEntry.array(parties, true));
    }
  }

  /** A party → server: leave the call; the others go on. */
  record CallLeave(String callId) implements SignalingMessage {
    @Override
    public String type() {
      return "call.leave";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId);
    }
  }

  /** Server → a joined party: the call is a conference; publish to the media server. */
  record ConferenceJoin(String callId, List<PartyEntry> parties) implements SignalingMessage {
    public ConferenceJoin {
      parties = List.copyOf(parties);
    }

    @Override
    public String type() {
      return "conference.join";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("parties", PartyEntry.array(parties, false));
    }
  }

  /** A joined party → server: its publish session's offer (first or again). */
  record ConferencePublish(String callId, String sdp) implements SignalingMessage {
    @Override
    public String type() {
      return "conference.publish";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("sdp", sdp);
    }
  }

  /** Server → the publishing party: the media server's answer. */
  record ConferencePublished(String callId, String sdp) implements SignalingMessage {
    @Override
    public String type() {
      return "conference.published";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("sdp", sdp);
    }
  }

  /** One media section of a receive session: whose stream it carries. */
  record StreamSource(String mid, String userId, String kind) {}

  /** Server → a joined party: the media server offers a receive session (new or again). */
  record ConferenceOffer(String callId, String sessionId, String sdp, List<StreamSource> sources)
      implements SignalingMessage {
    public ConferenceOffer {
      sources = List.copyOf(sources);
    }

    @Override
    public String type() {
      return "conference.offer";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      var list = Json.createArrayBuilder();
      for (StreamSource s : sources) {
        list.add(
            Json.createObjectBuilder()
                .add("mid", s.mid())
                .add("userId", s.userId())
                .add("kind", s.kind()));
      }
      json.add("callId", callId).add("sessionId", sessionId).add("sdp", sdp).add("sources", list);
    }
  }

  /** A joined party → server: its answer to a receive session's offer. */
  record ConferenceAnswer(String callId, String sessionId, String sdp) implements SignalingMessage {
    @Override
    public String type() {
      return "conference.answer";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("sessionId", sessionId).add("sdp", sdp);
    }
  }

  /**
   * Both ways: one trickled candidate of a conference session ({@code publish} or a receive
   * session's id); an empty {@code candidate} from the server ends that section's candidates.
   */
  record ConferenceCandidate(
      String callId, String sessionId, String candidate, String sdpMid, Integer sdpMLineIndex)
      implements SignalingMessage {
    @Override
    public String type() {
      return "conference.candidate";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("sessionId", sessionId).add("candidate", candidate);
      if (sdpMid != null) {
        json.add("sdpMid", sdpMid);
      }
      if (sdpMLineIndex != null) {
        json.add("sdpMLineIndex", sdpMLineIndex);
      }
    }
  }

  /** Server → a joined party: close that receive session (its publisher left). */
  record ConferenceSessionClosed(String callId, String sessionId) implements SignalingMessage {
    @Override
    public String type() {
      return "conference.session.closed";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("callId", callId).add("sessionId", sessionId);
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

  /**
   * Server → the user's connections: a Secure Edge recorded call of theirs was stopped by the
   * server (its recording failed under the fail mode {@code block}, or the media server released
   * it); the extension fails the page's connection at once (EDGE-API.md, "Recorded calls").
   */
  record RecordingStopped(String recordedCallId, String reason) implements SignalingMessage {
    @Override
    public String type() {
      return "recording.stopped";
    }

    @Override
    public void writeFields(JsonObjectBuilder json) {
      json.add("recordedCallId", recordedCallId).add("reason", reason);
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
