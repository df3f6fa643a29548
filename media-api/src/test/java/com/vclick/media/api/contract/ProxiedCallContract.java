package com.vclick.media.api.contract;

import static com.vclick.media.api.Leg.ENTERPRISE;
import static com.vclick.media.api.Leg.FAR_END;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import com.vclick.media.api.ReleaseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProxiedCall} must do, whatever the media server: an adapter's test extends this
 * class and supplies its {@link MediaServer} and a stand-in {@link Peer} per leg (canned SDPs for a
 * fake or for a server that only checks signaling, real WebRTC endpoints where the server can play
 * the browsers). The same cases run against the fakes (unit tests) and the real servers
 * (integration tests).
 */
public abstract class ProxiedCallContract {

  /** A stand-in for one leg's browser: its SDPs and candidates. */
  public interface Peer {

    /** Its offer (first or later round). */
    String offer() throws Exception;

    /** Its answer to the media server's {@code offer}. */
    String answer(String offer) throws Exception;

    /** Takes the media server's answer to its last offer. */
    default void answered(String answer) throws Exception {}

    /** One of its ICE candidates. */
    IceCandidate candidate();
  }

  /** The media server under test (one per test; {@link #closeServer()} closes it). */
  protected abstract MediaServer server();

  /** A new stand-in for {@code leg}'s browser in call {@code callId}. */
  protected abstract Peer peer(String callId, Leg leg) throws Exception;

  /** Fails when the media server still holds anything of the call (handles, pipelines…). */
  protected abstract void assertNothingLeftOnServer(String callId) throws Exception;

  /**
   * Fails unless the media server got exactly {@code count} of {@code leg}'s candidates (a fake can
   * tell; a real server cannot be asked: nothing here).
   */
  protected void assertCandidatesReached(Call call, Leg leg, int count) throws Exception {}

  /** Lets media reach the media server after the first exchange (real servers); nothing here. */
  protected void letMediaFlow(Call call) throws Exception {}

  /** How long an event may take (conversions, recorder stops). */
  protected Duration eventTimeout() {
    return Duration.ofSeconds(20);
  }

  /** How long to watch for an event that must not come. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(300);
  }

  private final List<Call> calls = new ArrayList<>();

  @AfterEach
  void closeCalls() {
    for (Call call : calls) {
      call.call.close();
    }
  }

  /** One call under test: the adapter's call, its events, a peer per leg. */
  protected final class Call {
    public final String id;
    public final ProxiedCall call;
    public final Events events;
    private final Map<Leg, Peer> peers = new EnumMap<>(Leg.class);

    private Call(String id, ProxiedCall call, Events events) {
      this.id = id;
      this.call = call;
      this.events = events;
    }

    public Peer peer(Leg leg) {
      return peers.get(leg);
    }

    /** One whole exchange offered by {@code from}; both SDPs of the media server checked. */
    public void exchange(Leg from) throws Exception {
      String forOther = call.offer(from, peer(from).offer());
      assertDescription(forOther, "the media server's offer for " + from.other());
      String forOfferer = call.answer(from.other(), peer(from.other()).answer(forOther));
      assertDescription(forOfferer, "the media server's answer for " + from);
      peer(from).answered(forOfferer);
    }
  }

  protected Call open(boolean recorded) throws Exception {
    String id = "contract-" + UUID.randomUUID().toString().substring(0, 13);
    var events = new Events();
    ProxiedCall proxied = server().createProxiedCall(new ProxiedCallRequest(id, recorded), events);
    var call = new Call(id, proxied, events);
    calls.add(call);
    assertEquals(id, proxied.callId());
    for (Leg leg : Leg.values()) {
      call.peers.put(leg, peer(id, leg));
    }
    return call;
  }

  /**
   * An SDP for the calls that must be refused before the SDP is looked at (the peers' own are not
   * spent on them: a real endpoint negotiates once).
   */
  private static final String REFUSED = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private static void assertDescription(String sdp, String what) {
    assertNotNull(sdp, what);
    assertTrue(sdp.startsWith("v=0"), what + " is an SDP");
    assertTrue(sdp.contains("\nm="), what + " has media sections");
  }

  // --- the first exchange -----------------------------------------------------------------------

  @Test
  void theEnterpriseOffersFirst() throws Exception {
    open(false).exchange(ENTERPRISE);
  }

  @Test
  void theFarEndOffersFirst() throws Exception {
    open(false).exchange(FAR_END);
  }

  @Test
  void candidatesBeforeTheDescriptionsAreKeptAndTheExchangeWorks() throws Exception {
    Call call = open(false);
    for (Leg leg : Leg.values()) {
      call.call.addCandidate(leg, call.peer(leg).candidate());
    }
    call.exchange(ENTERPRISE);
    for (Leg leg : Leg.values()) {
      call.call.addCandidate(leg, call.peer(leg).candidate()); // and after them
    }
    for (Leg leg : Leg.values()) {
      assertCandidatesReached(call, leg, 2);
    }
  }

  // --- later rounds ----------------------------------------------------------------------------

  @Test
  void eitherLegRenegotiatesOnceTheFirstExchangeIsComplete() throws Exception {
    Call call = open(false);
    call.exchange(ENTERPRISE);
    call.exchange(FAR_END);
    call.exchange(ENTERPRISE);
  }

  @Test
  void exchangesOutOfTurnAreRefused() throws Exception {
    Call call = open(false);
    assertThrows(
        IllegalStateException.class,
        () -> call.call.answer(FAR_END, REFUSED),
        "an answer without an offer");
    String forFarEnd = call.call.offer(ENTERPRISE, call.peer(ENTERPRISE).offer());
    assertThrows(
        IllegalStateException.class,
        () -> call.call.offer(FAR_END, REFUSED),
        "an offer while one waits for its answer");
    assertThrows(
        IllegalStateException.class,
        () -> call.call.answer(ENTERPRISE, REFUSED),
        "the offering leg answering");
    call.peer(ENTERPRISE).answered(call.call.answer(FAR_END, call.peer(FAR_END).answer(forFarEnd)));
    assertThrows(
        IllegalStateException.class, () -> call.call.answer(FAR_END, REFUSED), "a second answer");
  }

  // --- recording -------------------------------------------------------------------------------

  @Test
  void aRecordingStartedAndStoppedEndsInExactlyOneOutcome() throws Exception {
    Call call = open(false);
    call.exchange(ENTERPRISE);
    call.call.startRecording();
    call.call.startRecording(); // no-op
    letMediaFlow(call);
    call.call.stopRecording();
    MediaEvent outcome = call.events.nextOutcome(eventTimeout());
    call.call.stopRecording(); // no-op
    call.call.close();
    call.events.next(MediaEvent.CallReleased.class, eventTimeout());
    assertEquals(List.of(outcome), call.events.outcomes(), "exactly one outcome");
  }

  @Test
  void aCallRecordedFromTheStartEndsItsRecordingOnceWhenClosed() throws Exception {
    Call call = open(true);
    call.exchange(FAR_END);
    letMediaFlow(call);
    call.call.close();
    call.events.next(MediaEvent.CallReleased.class, eventTimeout());
    List<MediaEvent> all = call.events.all();
    assertEquals(1, call.events.outcomes().size(), "exactly one outcome: " + all);
    assertTrue(
        all.indexOf(call.events.outcomes().get(0))
            < all.indexOf(call.events.all(MediaEvent.CallReleased.class).get(0)),
        "the outcome comes before CallReleased: " + all);
  }

  // --- close -----------------------------------------------------------------------------------

  @Test
  void closeIsIdempotentAndReleasesEverything() throws Exception {
    int before = server().openCalls();
    Call call = open(false);
    call.exchange(ENTERPRISE);
    assertEquals(before + 1, server().openCalls());
    call.call.close();
    call.call.close();
    MediaEvent.CallReleased released = call.events.next(MediaEvent.CallReleased.class);
    assertEquals(ReleaseReason.CLOSED.wire(), released.reason());
    assertEquals(call.id, released.callId());
    assertEquals(before, server().openCalls());
    call.events.assertNone(MediaEvent.class, quietPeriod());
    assertEquals(1, call.events.all(MediaEvent.CallReleased.class).size());
    assertNothingLeftOnServer(call.id);
  }

  @Test
  void closingTheMediaServerReleasesItsCallsAsShutdown() throws Exception {
    Call call = open(false);
    call.exchange(FAR_END);
    server().close();
    MediaEvent.CallReleased released = call.events.next(MediaEvent.CallReleased.class);
    assertEquals(ReleaseReason.SHUTDOWN.wire(), released.reason());
    assertEquals(0, server().openCalls());
    assertThrows(IllegalStateException.class, () -> call.call.offer(ENTERPRISE, REFUSED));
    assertNothingLeftOnServer(call.id);
    server().close(); // idempotent
  }

  @Test
  void aClosedCallRefusesExchangesAndRecording() throws Exception {
    Call call = open(false);
    call.call.close();
    assertThrows(IllegalStateException.class, () -> call.call.offer(ENTERPRISE, REFUSED));
    assertThrows(IllegalStateException.class, () -> call.call.answer(FAR_END, REFUSED));
    assertThrows(IllegalStateException.class, () -> call.call.startRecording());
    call.events.next(MediaEvent.CallReleased.class);
    assertNothingLeftOnServer(call.id);
  }

  // --- events ----------------------------------------------------------------------------------

  /** A listener keeping every event, with bounded waits. */
  public static final class Events implements MediaEventListener {
    private final List<MediaEvent> all = new CopyOnWriteArrayList<>();
    private int read;

    @Override
    public synchronized void onEvent(MediaEvent event) {
      all.add(event);
      notifyAll();
    }

    public List<MediaEvent> all() {
      return List.copyOf(all);
    }

    public <T extends MediaEvent> List<T> all(Class<T> type) {
      return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The recordings' outcomes so far: {@code RecordingStopped} or {@code RecordingFailed}. */
    public List<MediaEvent> outcomes() {
      return all.stream()
          .filter(
              e ->
                  e instanceof MediaEvent.RecordingStopped
                      || e instanceof MediaEvent.RecordingFailed)
          .toList();
    }

    public <T extends MediaEvent> T next(Class<T> type) throws InterruptedException {
      return next(type, Duration.ofSeconds(20));
    }

    /** The next event of that type not read yet (skipping others). */
    public synchronized <T extends MediaEvent> T next(Class<T> type, Duration wait)
        throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        while (read < all.size()) {
          MediaEvent event = all.get(read++);
          if (type.isInstance(event)) {
            return type.cast(event);
          }
        }
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "no " + type.getSimpleName() + " within " + wait + "; got " + all);
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    /** The next {@code RecordingStopped} or {@code RecordingFailed}. */
    public MediaEvent nextOutcome(Duration wait) throws InterruptedException {
      MediaEvent event = next(MediaEvent.class, wait);
      while (!(event instanceof MediaEvent.RecordingStopped)
          && !(event instanceof MediaEvent.RecordingFailed)) {
        event = next(MediaEvent.class, wait);
      }
      return event;
    }

    /** No further event of that type within {@code period}. */
    public synchronized void assertNone(Class<? extends MediaEvent> type, Duration period)
        throws InterruptedException {
      int seen = all.size();
      long deadline = System.nanoTime() + period.toNanos();
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      List<MediaEvent> later = all.subList(seen, all.size());
      for (MediaEvent event : later) {
        assertFalse(type.isInstance(event), "unexpected " + event + " after " + all);
      }
    }
  }
}
