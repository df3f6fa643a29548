package com.vclick.media.api.reference;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.Attendance;
import com.vclick.media.api.ConferenceEvent.StreamSource;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerStatus;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.adapter.SerialExecutor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The smallest media server that passes the {@code ConferenceContract} (in memory, no media): it
 * checks the contract suite itself, so that a failing adapter is the adapter's fault. One receive
 * session per participant ({@code recv}), offered again (after the last answer) whenever the set of
 * others changes; every participant publishes audio and video.
 */
final class InMemoryConferences implements MediaServer {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, Room> open = new ConcurrentHashMap<>();

  /**
   * The candidates each participant's session got, per conference: {@code id/participant/session}.
   */
  final Map<String, Integer> candidates = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "in-memory";
  }

  @Override
  public MediaServerStatus probe() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ProxiedCall createProxiedCall(
      ProxiedCallRequest request, com.vclick.media.api.MediaEventListener l) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int openCalls() {
    return 0;
  }

  @Override
  public Conference createConference(ConferenceRequest request, ConferenceListener listener) {
    Room room = new Room(request, listener);
    open.put(request.conferenceId(), room);
    return room;
  }

  @Override
  public int openConferences() {
    return open.size();
  }

  boolean holds(String conferenceId) {
    return open.containsKey(conferenceId);
  }

  @Override
  public void close() {
    for (Room room : List.copyOf(open.values())) {
      room.release(ReleaseReason.SHUTDOWN);
    }
    pool.shutdown();
  }

  private final class Member {
    final String id;
    final Instant joinedAt = Instant.now();
    boolean offerWaits;
    boolean changed;
    int round;
    final List<IceCandidate> held = new ArrayList<>();
    boolean answeredOnce;

    Member(String id) {
      this.id = id;
    }
  }

  private final class Room implements Conference {
    private final ConferenceRequest request;
    private final SerialExecutor events;
    private final ConferenceListener listener;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, List<IceCandidate>> early = new HashMap<>();
    private final List<Attendance> attendance = new ArrayList<>();
    private Instant recordingSince;
    private boolean closed;

    Room(ConferenceRequest request, ConferenceListener listener) {
      this.request = request;
      this.listener = listener;
      this.events = new SerialExecutor(pool);
      if (request.recorded()) {
        recordingSince = Instant.now();
      }
    }

    private void emit(ConferenceEvent event) {
      events.execute(() -> listener.onEvent(event));
    }

    @Override
    public String conferenceId() {
      return request.conferenceId();
    }

    @Override
    public synchronized String join(String participantId, String publishOffer) {
      if (closed
          || members.containsKey(participantId)
          || members.size() >= request.maxParticipants()) {
        throw new IllegalStateException("refused");
      }
      Member member = new Member(participantId);
      members.put(participantId, member);
      if (recordingSince != null) {
        attendance.add(new Attendance(participantId, member.joinedAt, null));
      }
      for (IceCandidate c : early.getOrDefault(participantId, List.of())) {
        count(participantId, PUBLISH);
      }
      early.remove(participantId);
      changed();
      return publishOffer.replace("sendrecv", "recvonly");
    }

    @Override
    public synchronized String republish(String participantId, String offer) {
      if (closed || !members.containsKey(participantId)) {
        throw new IllegalStateException("refused");
      }
      return offer.replace("sendrecv", "recvonly");
    }

    @Override
    public synchronized void answer(String participantId, String sessionId, String sdp) {
      Member member = closed ? null : members.get(participantId);
      if (member == null || !"recv".equals(sessionId) || !member.offerWaits) {
        throw new IllegalStateException("no offer waits");
      }
      member.offerWaits = false;
      member.answeredOnce = true;
      for (IceCandidate c : member.held) {
        count(participantId, "recv");
      }
      member.held.clear();
      if (member.changed) {
        offer(member);
      }
    }

    @Override
    public synchronized void addCandidate(String participantId, String sessionId, IceCandidate c) {
      if (closed) {
        return;
      }
      Member member = members.get(participantId);
      if (member == null && PUBLISH.equals(sessionId)) {
        early.computeIfAbsent(participantId, k -> new ArrayList<>()).add(c);
      } else if (member != null && PUBLISH.equals(sessionId)) {
        count(participantId, PUBLISH);
      } else if (member != null && member.offerWaits && !member.answeredOnce) {
        member.held.add(c);
      } else if (member != null) {
        count(participantId, sessionId);
      }
    }

    private void count(String participantId, String sessionId) {
      candidates.merge(conferenceId() + "/" + participantId + "/" + sessionId, 1, Integer::sum);
    }

    @Override
    public synchronized void leave(String participantId) {
      if (closed || members.remove(participantId) == null) {
        return;
      }
      for (int i = 0; i < attendance.size(); i++) {
        Attendance a = attendance.get(i);
        if (a.participantId().equals(participantId) && a.leftAt() == null) {
          attendance.set(i, new Attendance(participantId, a.joinedAt(), Instant.now()));
        }
      }
      changed();
    }

    /** Every member's receive session is offered again (now, or after its waiting answer). */
    private void changed() {
      for (Member member : members.values()) {
        if (member.offerWaits) {
          member.changed = true;
        } else if (members.size() > 1 || member.answeredOnce) {
          offer(member);
        }
      }
    }

    private void offer(Member member) {
      member.changed = false;
      member.offerWaits = true;
      var sdp =
          new StringBuilder(
              "v=0\r\no=- 1 " + ++member.round + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
      List<StreamSource> sources = new ArrayList<>();
      int mid = 0;
      for (Member other : members.values()) {
        if (other == member) {
          continue;
        }
        for (String kind : List.of("audio", "video")) {
          sdp.append("m=")
              .append(kind)
              .append(" 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:")
              .append(mid)
              .append("\r\na=sendonly\r\n");
          sources.add(new StreamSource(String.valueOf(mid++), other.id, kind));
        }
      }
      if (sources.isEmpty()) {
        sdp.append("m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=inactive\r\n");
      }
      emit(
          new ConferenceEvent.ReceiveOffer(
              conferenceId(), member.id, "recv", sdp.toString(), sources));
    }

    @Override
    public synchronized Set<String> participants() {
      return closed ? Set.of() : Set.copyOf(members.keySet());
    }

    @Override
    public synchronized void startRecording() {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      if (recordingSince == null) {
        recordingSince = Instant.now();
        members.values().forEach(m -> attendance.add(new Attendance(m.id, m.joinedAt, null)));
      }
    }

    @Override
    public synchronized void stopRecording() {
      if (recordingSince == null) {
        return;
      }
      emit(
          new ConferenceEvent.RecordingStopped(
              conferenceId(),
              Path.of(conferenceId() + ".mkv"),
              List.of(),
              recordingSince,
              Instant.now(),
              attendance));
      recordingSince = null;
      attendance.clear();
    }

    @Override
    public void close() {
      release(ReleaseReason.CLOSED);
    }

    synchronized void release(ReleaseReason reason) {
      if (closed) {
        return;
      }
      stopRecording();
      closed = true;
      members.clear();
      open.remove(conferenceId());
      emit(new ConferenceEvent.ConferenceReleased(conferenceId(), reason));
    }
  }
}
