package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Conference;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ConferenceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The {@code Conference} contract against {@link FakeJanus}' VideoRoom. */
class JanusConferenceContractTest extends ConferenceContract {

  private static final String SECRET = "contract-secret-0123456789";

  @TempDir Path recordings;

  private FakeJanus janus;
  private JanusMediaServer server;

  @BeforeEach
  void start() throws IOException {
    janus = new FakeJanus(SECRET);
    ConferenceComposer composer =
        take -> {
          Files.writeString(take.output(), "mkv");
          return new ConferenceComposer.Composed(take.output(), List.of());
        };
    server =
        new JanusMediaServer(
            JanusSettings.from(
                Map.of(
                    "url",
                    janus.url(),
                    "api-secret",
                    SECRET,
                    "timeout-ms",
                    // generous: the in-process fake answers in ms, yet on a loaded machine (load
                    // average 30 on 2 cores) a session's create once waited more than 3 s
                    "10000",
                    "recordings-dir",
                    recordings.toString())),
            Clock.systemUTC(),
            null,
            composer);
  }

  @AfterEach
  void stop() {
    server.close();
    janus.close();
  }

  @Override
  protected MediaServer server() {
    return server;
  }

  @Override
  protected Participant participant(String conferenceId, String participantId) {
    return new CannedConferencePeer();
  }

  @Override
  protected void assertCandidatesReached(
      Room room, String participantId, String sessionId, int count) {
    var conference = (JanusConference) room.conference;
    long handle =
        Conference.PUBLISH.equals(sessionId)
            ? conference.publisherHandle(participantId)
            : conference.subscriberHandle(participantId, sessionId);
    assertTrue(handle != 0, "a handle for " + participantId + "/" + sessionId);
    assertEquals(count, janus.handle(handle).trickles.size(), "candidates trickled");
  }

  @Override
  protected void assertNothingLeftOnServer(String conferenceId) {
    assertEquals(0, janus.handleCount(), "handles detached");
    assertTrue(
        janus.videoRoom.rooms.isEmpty(), "rooms destroyed: " + janus.videoRoom.rooms.keySet());
  }
}
