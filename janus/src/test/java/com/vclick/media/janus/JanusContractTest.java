package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ProxiedCallContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ProxiedCall} contract against {@link FakeJanus}. */
class JanusContractTest extends ProxiedCallContract {

  private static final String SECRET = "contract-secret-0123456789";

  @TempDir Path recordings;

  private FakeJanus janus;
  private JanusMediaServer server;

  @BeforeEach
  void start() throws IOException {
    janus = new FakeJanus(SECRET);
    RecordingConverter converter =
        segments -> {
          RecordingSegment segment = segments.get(0);
          Files.writeString(segment.output(), "mkv");
          return new RecordingConverter.Converted(
              segment.output(), List.of(segment.mjr(Leg.ENTERPRISE, "audio")));
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
            converter);
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
  protected Peer peer(String callId, Leg leg) {
    return new CannedChromiumPeer();
  }

  @Override
  protected void assertCandidatesReached(Call call, Leg leg, int count) {
    long handle = ((JanusProxiedCall) call.call).handle(leg);
    assertEquals(count, janus.handle(handle).trickles.size(), leg + "'s candidates trickled");
  }

  @Override
  protected void assertNothingLeftOnServer(String callId) {
    assertTrue(
        janus.usernames().stream().noneMatch(name -> name.startsWith(callId)),
        "usernames released: " + janus.usernames());
    assertEquals(0, janus.handleCount(), "handles detached");
  }
}
