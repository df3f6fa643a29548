package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ProxiedCallContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ProxiedCall} contract against the real Janus of the test profile, like {@link
 * JanusProxiedCallIT} ({@code VCLICK_MEDIA_JANUS_URL}, {@code VCLICK_MEDIA_JANUS_API_SECRET}; it
 * fails without them, it never skips): canned Chromium SDPs, the real {@code janus-pp-rec} and
 * {@code ffmpeg} (no media flows, so a recording ends in {@code RecordingFailed}: still exactly one
 * outcome).
 */
class JanusContractIT extends ProxiedCallContract {

  private static String url;
  private static String secret;

  @TempDir Path recordings;

  private JanusMediaServer server;

  @BeforeAll
  static void environment() {
    url = System.getenv("VCLICK_MEDIA_JANUS_URL");
    secret = System.getenv("VCLICK_MEDIA_JANUS_API_SECRET");
    if (url == null || url.isBlank() || secret == null || secret.isBlank()) {
      fail(
          "VCLICK_MEDIA_JANUS_URL and VCLICK_MEDIA_JANUS_API_SECRET must name the test profile's"
              + " running Janus (./vclick test exports them); this test does not skip");
    }
  }

  @BeforeEach
  void start() {
    server =
        (JanusMediaServer)
            new JanusMediaServerProvider()
                .create(
                    Map.of(
                        "url", url, "api-secret", secret, "recordings-dir", recordings.toString()));
    assertTrue(server.probe().reachable(), "Janus answers " + url + "/info");
  }

  @AfterEach
  void stop() {
    server.close();
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
  protected void assertNothingLeftOnServer(String callId) throws Exception {
    List<String> registered = new VideoCallUsernames(url, secret).registered();
    assertTrue(
        registered.stream().noneMatch(name -> name.startsWith(callId)),
        "VideoCall usernames released: " + registered);
  }
}
