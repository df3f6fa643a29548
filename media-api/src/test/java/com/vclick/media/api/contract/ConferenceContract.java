package com.vclick.media.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.Attendance;
import com.vclick.media.api.ConferenceEvent.ConferenceReleased;
import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.ConferenceEvent.RecordingStopped;
import com.vclick.media.api.ConferenceEvent.SessionClosed;
import com.vclick.media.api.ConferenceEvent.StreamSource;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.ReleaseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Conference} must do, whatever the media server: an adapter's test extends this
 * class and supplies its {@link MediaServer} and a stand-in {@link Participant} per participant
 * (canned SDPs for a fake or for a server that only checks signaling, real WebRTC endpoints where
 * the server can play the browsers). The same cases run against the fakes (unit tests) and the real
 * servers (integration tests).
 *
 * <p>Beyond the port's javadoc, the suite holds every adapter to these rules:
 *
 * <ul>
 *   <li>a receive session has <b>at most one offer waiting for its answer</b>: the adapter offers
 *       again on a session only after the browser answered its last offer (changes meanwhile are
 *       gathered into the next offer), so a browser never has to handle glare with the media
 *       server;
 *   <li>the {@code sources} of a receive session's latest offer list exactly the sections that
 *       carry someone's stream now (no departed participant, never the participant itself);
 *   <li>no event addressed to a participant after it left (once the others settled);
 *   <li>every event of a receive session comes after that session's first {@link ReceiveOffer};
 *       {@link ConferenceReleased} comes exactly once, last, after every recording outcome;
 *   <li>a candidate of the browser may come before the description it belongs to (the publish
 *       session's before {@link Conference#join} reached the adapter, a receive session's before
 *       {@link Conference#answer}): it is kept and sent with/after that description; after {@link
 *       Conference#close()} candidates are ignored without an exception (they race with close).
 * </ul>
 */
public abstract class ConferenceContract {

  /** A stand-in for one participant's browser: its SDPs and candidates. */
  public interface Participant {

    /** Its publish session's first offer. */
    String publishOffer() throws Exception;

    /** Its publish session's later offer (a renegotiation or ICE restart). */
    String republishOffer() throws Exception;

    /** Takes the media server's answer to its last publish offer. */
    default void published(String answer) throws Exception {}

    /** Its answer to the media server's {@code offer} of a receive session. */
    String answer(ReceiveOffer offer) throws Exception;

    /** One of its ICE candidates. */
    IceCandidate candidate();

    /** The kinds ({@code audio}, {@code video}) it publishes: the others must receive them. */
    default Set<String> publishes() {
      return Set.of("audio", "video");
    }
  }

  /** The media server under test (one per test; the adapter's test closes it). */
  protected abstract MediaServer server();

  /** A new stand-in for {@code participantId}'s browser in conference {@code conferenceId}. */
  protected abstract Participant participant(String conferenceId, String participantId)
      throws Exception;

  /** Fails when the media server still holds anything of the conference (rooms, handles…). */
  protected abstract void assertNothingLeftOnServer(String conferenceId) throws Exception;

  /**
   * Fails unless the media server got exactly {@code count} of the participant's candidates for
   * that session (a fake can tell; a real server cannot be asked: nothing here).
   */
  protected void assertCandidatesReached(
      Room room, String participantId, String sessionId, int count) throws Exception {}

  /** Lets media reach the media server after the participants settled (real servers). */
  protected void letMediaFlow(Room room) throws Exception {}

  /** How long an event may take (renegotiations, recording conversions). */
  protected Duration eventTimeout() {
    return Duration.ofSeconds(20);
  }

  /** How long to watch for an event that must not come. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(300);
  }

  /** How many conferences the leak check opens and closes. */
  protected int leakRounds() {
    return 5;
  }

  private final List<Room> rooms = new ArrayList<>();

  @AfterEach
  void closeRooms() {
    for (Room room : rooms) {
      room.conference.close();
    }
  }

  /** An SDP for joins that must be refused before the SDP is looked at. */
  protected static final String REFUSED = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  protected static void assertDescription(String sdp, String what) {
    assertNotNull(sdp, what);
    assertTrue(sdp.startsWith("v=0"), what + " is an SDP");
    assertTrue(sdp.contains("\nm="), what + " has media sections");
  }

  protected Room open(boolean recorded, int maxParticipants) throws Exception {
    String id = "contract-" + UUID.randomUUID().toString().substring(0, 13);
    var events = new ConferenceEvents();
    Conference conference =
        server().createConference(new ConferenceRequest(id, recorded, maxParticipants), events);
    var room = new Room(id, conference, events);
    rooms.add(room);
    assertEquals(id, conference.conferenceId());
    assertEquals(Set.of(), conference.participants());
    return room;
  }

  protected Room open() throws Exception {
    return open(false, 6);
  }

  /** One conference under test: the adapter's conference, its events, the stand-ins. */
  protected final class Room {
    public final String id;
    public final Conference conference;
    public final ConferenceEvents events;
    private final Map<String, Participant> stands = new LinkedHashMap<>();
    private final Set<String> present = new LinkedHashSet<>();

    /** Index of the next event {@link #settle} looks at. */
    private int looked;

    /** Per participant: its open receive sessions and the sources of their latest offer. */
    private final Map<String, Map<String, List<StreamSource>>> views = new HashMap<>();

    private Room(String id, Conference conference, ConferenceEvents events) {
      this.id = id;
      this.conference = conference;
      this.events = events;
    }

    public Participant stand(String participantId) throws Exception {
      Participant stand = stands.get(participantId);
      if (stand == null) {
        stand = participant(id, participantId);
        stands.put(participantId, stand);
      }
      return stand;
    }

    /** {@code participantId} joins with its stand-in's offer; the answer is checked. */
    public void join(String participantId) throws Exception {
      Participant stand = stand(participantId);
      String answer = conference.join(participantId, stand.publishOffer());
      assertDescription(answer, "the media server's answer to " + participantId + "'s publish");
      stand.published(answer);
      present.add(participantId);
      views.put(participantId, new TreeMap<>());
    }

    public void leave(String participantId) {
      conference.leave(participantId);
      present.remove(participantId);
      views.remove(participantId);
    }

    /** Who the suite thinks is in the room. */
    public Set<String> present() {
      return Set.copyOf(present);
    }

    /** The open receive sessions of a participant (after {@link #settle}). */
    public Set<String> receiveSessions(String participantId) {
      return Set.copyOf(views.getOrDefault(participantId, Map.of()).keySet());
    }

    /**
     * Answers every receive offer (each checked: an SDP, its session not {@link
     * Conference#PUBLISH}, no second offer of its session before the answer) until every
     * participant receives exactly the others' streams, within {@link #eventTimeout()}.
     */
    public void settle() throws Exception {
      long deadline = System.nanoTime() + eventTimeout().toNanos();
      while (true) {
        List<ConferenceEvent> all = events.all();
        for (; looked < all.size(); looked++) {
          take(all, looked);
        }
        String missing = differences();
        if (missing.isEmpty()) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail(
              "the receive sessions did not settle within "
                  + eventTimeout()
                  + ": "
                  + missing
                  + "; events "
                  + all);
        }
        events.awaitMore(all.size(), Duration.ofNanos(left));
      }
    }

    private void take(List<ConferenceEvent> all, int index) throws Exception {
      ConferenceEvent event = all.get(index);
      if (event instanceof SessionClosed closed && present.contains(closed.participantId())) {
        views.get(closed.participantId()).remove(closed.sessionId());
      }
      if (!(event instanceof ReceiveOffer offer) || !present.contains(offer.participantId())) {
        return;
      }
      assertDescription(offer.sdp(), "the media server's offer " + offer.sessionId());
      assertFalse(Conference.PUBLISH.equals(offer.sessionId()), "a receive session's id");
      for (int later = index + 1; later < all.size(); later++) {
        if (all.get(later) instanceof ReceiveOffer next
            && next.participantId().equals(offer.participantId())
            && next.sessionId().equals(offer.sessionId())) {
          fail(
              "a second offer of "
                  + offer.sessionId()
                  + " came before the answer to the first: "
                  + all);
        }
      }
      for (StreamSource source : offer.sources()) {
        assertTrue(
            offer.sdp().contains("a=mid:" + source.mid() + "\r\n")
                || offer.sdp().contains("a=mid:" + source.mid() + "\n"),
            "source " + source + " names a section of the offer");
      }
      String sdp = stand(offer.participantId()).answer(offer);
      conference.answer(offer.participantId(), offer.sessionId(), sdp);
      views.get(offer.participantId()).put(offer.sessionId(), offer.sources());
    }

    /** What is missing or extra in every participant's view; empty when settled. */
    private String differences() throws Exception {
      var out = new StringBuilder();
      for (String viewer : present) {
        Set<String> expected = new HashSet<>();
        for (String other : present) {
          if (!other.equals(viewer)) {
            stand(other).publishes().forEach(kind -> expected.add(other + "/" + kind));
          }
        }
        Set<String> received = new HashSet<>();
        for (List<StreamSource> sources : views.get(viewer).values()) {
          for (StreamSource source : sources) {
            received.add(source.publisherId() + "/" + source.kind());
          }
        }
        if (!received.equals(expected)) {
          out.append(viewer)
              .append(" receives ")
              .append(new TreeMap<>(toMap(received)))
              .append(" instead of ")
              .append(new TreeMap<>(toMap(expected)))
              .append("; ");
        }
      }
      return out.toString();
    }

    private static Map<String, String> toMap(Set<String> streams) {
      return streams.stream()
          .collect(
              Collectors.groupingBy(
                  s -> s.substring(0, s.indexOf('/')),
                  Collectors.mapping(
                      s -> s.substring(s.indexOf('/') + 1), Collectors.joining(","))));
    }
  }

  // --- joining ---------------------------------------------------------------------------------

  @Test
  void aParticipantAloneJoinsAndGetsTheMediaServersAnswer() throws Exception {
    Room room = open();
    room.join("alice");
    assertEquals(Set.of("alice"), room.conference.participants());
    room.settle();
  }

  @Test
  void threeParticipantsEachReceiveTheOtherTwo() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    room.join("carol");
    room.settle();
    assertEquals(Set.of("alice", "bob", "carol"), room.conference.participants());
  }

  @Test
  void joiningTwiceIsRefusedAndChangesNothing() throws Exception {
    Room room = open();
    room.join("alice");
    assertThrows(IllegalStateException.class, () -> room.conference.join("alice", REFUSED));
    assertEquals(Set.of("alice"), room.conference.participants());
    room.join("bob");
    room.settle();
  }

  @Test
  void aFullRoomRefusesAnotherUntilSomeoneLeaves() throws Exception {
    Room room = open(false, 2);
    room.join("alice");
    room.join("bob");
    assertThrows(IllegalStateException.class, () -> room.conference.join("carol", REFUSED));
    assertEquals(Set.of("alice", "bob"), room.conference.participants());
    room.settle();
    room.leave("alice");
    room.join("carol");
    room.settle();
    assertEquals(Set.of("bob", "carol"), room.conference.participants());
  }

  // --- leaving ---------------------------------------------------------------------------------

  @Test
  void someoneLeavingIsNoLongerReceivedAndTheOthersGoOn() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.join("carol");
    room.settle();
    room.leave("bob");
    room.conference.leave("bob"); // idempotent
    room.conference.leave("nobody"); // a stranger: nothing
    assertEquals(Set.of("alice", "carol"), room.conference.participants());
    room.settle();
    room.events.assertNone(e -> addressedTo(e, "bob"), quietPeriod());
    room.join("bob"); // and may come back
    room.settle();
  }

  @Test
  void theLastOneLeftStaysInAnOpenRoom() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    room.leave("alice");
    room.settle();
    assertEquals(Set.of("bob"), room.conference.participants());
    room.join("carol");
    room.settle();
  }

  // --- renegotiation ---------------------------------------------------------------------------

  @Test
  void aParticipantRepublishesAndTheOthersStillReceiveIt() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    String answer = room.conference.republish("alice", room.stand("alice").republishOffer());
    assertDescription(answer, "the media server's answer to alice's republish");
    room.stand("alice").published(answer);
    room.settle();
  }

  @Test
  void exchangesOfStrangersOrOutOfTurnAreRefused() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    assertThrows(IllegalStateException.class, () -> room.conference.republish("carol", REFUSED));
    assertThrows(
        IllegalStateException.class,
        () -> room.conference.answer("carol", "any", REFUSED),
        "a stranger's answer");
    String session = room.receiveSessions("alice").iterator().next();
    assertThrows(
        IllegalStateException.class,
        () -> room.conference.answer("alice", session, REFUSED),
        "an answer to an offer answered already");
    assertThrows(
        IllegalStateException.class,
        () -> room.conference.answer("alice", "no-such-session", REFUSED),
        "an answer for a session never offered");
    assertThrows(
        IllegalStateException.class,
        () -> room.conference.answer("alice", Conference.PUBLISH, REFUSED),
        "an answer on the publish session");
    room.leave("bob");
    room.settle();
  }

  // --- candidates ------------------------------------------------------------------------------

  @Test
  void candidatesBeforeTheirDescriptionAreKeptAndTheExchangesWork() throws Exception {
    Room room = open();
    room.conference.addCandidate("alice", Conference.PUBLISH, room.stand("alice").candidate());
    room.join("alice");
    room.conference.addCandidate("alice", Conference.PUBLISH, room.stand("alice").candidate());
    assertCandidatesReached(room, "alice", Conference.PUBLISH, 2);

    room.join("bob");
    ReceiveOffer offer =
        room.events.await(
            ReceiveOffer.class, o -> o.participantId().equals("alice"), eventTimeout());
    room.conference.addCandidate("alice", offer.sessionId(), room.stand("alice").candidate());
    room.settle();
    room.conference.addCandidate("alice", offer.sessionId(), room.stand("alice").candidate());
    assertCandidatesReached(room, "alice", offer.sessionId(), 2);
  }

  // --- recording -------------------------------------------------------------------------------

  @Test
  void aRecordingStartedAndStoppedEndsInExactlyOneOutcome() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    room.conference.startRecording();
    room.conference.startRecording(); // no-op
    letMediaFlow(room);
    room.conference.stopRecording();
    ConferenceEvent outcome = nextOutcome(room);
    room.conference.stopRecording(); // no-op
    room.conference.close();
    room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    assertEquals(List.of(outcome), room.events.outcomes(), "exactly one outcome");
    if (outcome instanceof RecordingStopped stopped) {
      assertAttendance(stopped, Set.of("alice", "bob"), Set.of());
    }
  }

  @Test
  void aConferenceRecordedFromTheStartReportsItBeforeItsRelease() throws Exception {
    Room room = open(true, 6);
    room.join("alice");
    room.join("bob");
    room.join("carol");
    room.settle();
    letMediaFlow(room);
    room.leave("carol");
    room.settle();
    room.conference.close();
    ConferenceReleased released =
        room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    List<ConferenceEvent> all = room.events.all();
    assertEquals(1, room.events.outcomes().size(), "exactly one outcome: " + all);
    ConferenceEvent outcome = room.events.outcomes().get(0);
    assertTrue(all.indexOf(outcome) < all.indexOf(released), "the outcome comes first: " + all);
    if (outcome instanceof RecordingStopped stopped) {
      assertAttendance(stopped, Set.of("alice", "bob"), Set.of("carol"));
    }
  }

  private void assertAttendance(RecordingStopped stopped, Set<String> stayed, Set<String> left) {
    assertNotNull(stopped.file(), "the composed file");
    assertFalse(stopped.stoppedAt().isBefore(stopped.startedAt()), "stopped after started");
    Map<String, Attendance> byId = new HashMap<>();
    for (Attendance attendance : stopped.attendance()) {
      byId.put(attendance.participantId(), attendance);
      assertNotNull(attendance.joinedAt(), "joinedAt of " + attendance);
    }
    Set<String> everyone = new HashSet<>(stayed);
    everyone.addAll(left);
    assertEquals(everyone, byId.keySet(), "everyone who was in the room: " + stopped.attendance());
    for (String id : stayed) {
      assertNull(byId.get(id).leftAt(), id + " was in the room as the recording stopped");
    }
    for (String id : left) {
      assertNotNull(byId.get(id).leftAt(), id + " left");
      assertFalse(byId.get(id).leftAt().isBefore(byId.get(id).joinedAt()), id + " left after");
    }
  }

  private ConferenceEvent nextOutcome(Room room) throws InterruptedException {
    return room.events.await(
        ConferenceEvent.class,
        e -> e instanceof RecordingStopped || e instanceof ConferenceEvent.RecordingFailed,
        eventTimeout());
  }

  // --- close -----------------------------------------------------------------------------------

  @Test
  void closeIsIdempotentReleasesEverythingAndComesLast() throws Exception {
    int before = server().openConferences();
    Room room = open();
    assertEquals(before + 1, server().openConferences());
    room.join("alice");
    room.join("bob");
    room.settle();
    room.conference.close();
    room.conference.close();
    ConferenceReleased released =
        room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    assertEquals(ReleaseReason.CLOSED.wire(), released.reason());
    assertEquals(room.id, released.conferenceId());
    assertEquals(before, server().openConferences());
    room.events.assertNone(e -> true, quietPeriod());
    assertEventOrder(room);
    assertNothingLeftOnServer(room.id);
  }

  @Test
  void aClosedConferenceRefusesEverythingButLeaveCandidatesAndClose() throws Exception {
    Room room = open();
    room.join("alice");
    room.conference.close();
    assertThrows(IllegalStateException.class, () -> room.conference.join("bob", REFUSED));
    assertThrows(IllegalStateException.class, () -> room.conference.republish("alice", REFUSED));
    assertThrows(
        IllegalStateException.class, () -> room.conference.answer("alice", "any", REFUSED));
    assertThrows(IllegalStateException.class, () -> room.conference.startRecording());
    room.conference.stopRecording(); // nothing to stop
    room.conference.addCandidate("alice", Conference.PUBLISH, room.stand("alice").candidate());
    room.conference.leave("alice");
    assertEquals(Set.of(), room.conference.participants());
    room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    assertNothingLeftOnServer(room.id);
  }

  @Test
  void closingTheMediaServerReleasesItsConferencesAsShutdown() throws Exception {
    Room room = open();
    room.join("alice");
    room.join("bob");
    room.settle();
    server().close();
    ConferenceReleased released =
        room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    assertEquals(ReleaseReason.SHUTDOWN.wire(), released.reason());
    assertEquals(0, server().openConferences());
    assertThrows(IllegalStateException.class, () -> room.conference.join("carol", REFUSED));
    assertNothingLeftOnServer(room.id);
    server().close(); // idempotent
  }

  @Test
  void manyConferencesOpenedAndClosedLeaveNothingBehind() throws Exception {
    int before = server().openConferences();
    List<Room> opened = new ArrayList<>();
    for (int i = 0; i < leakRounds(); i++) {
      Room room = open();
      opened.add(room);
      room.join("alice");
      room.join("bob");
      room.settle();
      if (i % 2 == 0) {
        room.leave("alice"); // some emptied first, some closed full
        room.settle();
      }
      room.conference.close();
    }
    for (Room room : opened) {
      room.events.await(ConferenceReleased.class, e -> true, eventTimeout());
    }
    assertEquals(before, server().openConferences(), "openConferences() back");
    for (Room room : opened) {
      assertNothingLeftOnServer(room.id);
    }
  }

  // --- events ----------------------------------------------------------------------------------

  private static boolean addressedTo(ConferenceEvent event, String participantId) {
    return participantId.equals(participantOf(event)) && !(event instanceof ConferenceReleased);
  }

  /** The participant an event is addressed to or about; null for the room's own events. */
  private static String participantOf(ConferenceEvent event) {
    if (event instanceof ReceiveOffer e) {
      return e.participantId();
    } else if (event instanceof SessionClosed e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.LocalCandidate e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.MediaFlowing e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.ParticipantFailed e) {
      return e.participantId();
    }
    return null;
  }

  /**
   * Every event is the room's; a receive session's events come after its first offer; {@link
   * ConferenceReleased} is there once, last, after every recording outcome.
   */
  protected void assertEventOrder(Room room) {
    List<ConferenceEvent> all = room.events.all();
    Set<String> offered = new HashSet<>();
    for (ConferenceEvent event : all) {
      assertEquals(room.id, event.conferenceId(), "the room's event: " + event);
      if (event instanceof ReceiveOffer e) {
        offered.add(e.participantId() + " " + e.sessionId());
      } else if (event instanceof SessionClosed e) {
        assertTrue(offered.contains(e.participantId() + " " + e.sessionId()), "offered " + e);
      } else if (event instanceof ConferenceEvent.LocalCandidate e) {
        assertSessionKnown(offered, e.participantId(), e.sessionId(), e);
      } else if (event instanceof ConferenceEvent.MediaFlowing e) {
        assertSessionKnown(offered, e.participantId(), e.sessionId(), e);
      }
    }
    assertEquals(1, room.events.all(ConferenceReleased.class).size(), "one release: " + all);
    assertTrue(all.get(all.size() - 1) instanceof ConferenceReleased, "the release last: " + all);
  }

  private static void assertSessionKnown(
      Set<String> offered, String participantId, String sessionId, ConferenceEvent event) {
    assertTrue(
        Conference.PUBLISH.equals(sessionId) || offered.contains(participantId + " " + sessionId),
        "a receive session's event after its first offer: " + event);
  }
}
