package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ConferenceContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

/**
 * The {@code Conference} contract against the real KMS at {@code KMS_URL}, skipped loudly without
 * it like {@link KurentoProxiedCallIT} (failed with {@code VCLICK_REQUIRE_KMS=true}). KMS
 * WebRtcEndpoints of a helper pipeline make the browsers' SDPs (a new one for each offer or answer:
 * a KMS endpoint negotiates once); signaling and release are checked, media is not ({@link
 * KurentoConferenceIT} does).
 */
class KurentoConferenceContractIT extends ConferenceContract {

  private final String kmsUrl = System.getenv("KMS_URL");
  private KurentoClient helper;
  private MediaPipeline helperPipeline;
  private KurentoMediaServer server;

  @BeforeEach
  void requireKms() {
    KurentoProxiedCallIT.requireKmsUrl(kmsUrl);
    helper = KurentoClient.create(kmsUrl);
    helperPipeline = helper.createMediaPipeline();
    server =
        new KurentoMediaServer(
            KurentoSettings.from(
                Map.of(
                    "url",
                    kmsUrl,
                    "recording-stop-timeout-ms",
                    "3000",
                    "gathering-timeout-ms",
                    "1000",
                    "recordings-dir",
                    System.getenv().getOrDefault("KMS_RECORDINGS_DIR", "/tmp"))));
  }

  @AfterEach
  void releaseEverything() {
    if (server != null) {
      server.close();
    }
    if (helperPipeline != null) {
      helperPipeline.release();
    }
    if (helper != null) {
      helper.destroy();
    }
  }

  @Override
  protected int leakRounds() {
    return 10;
  }

  @Override
  protected MediaServer server() {
    return server;
  }

  @Override
  protected Participant participant(String conferenceId, String participantId) {
    return new Participant() {
      private WebRtcEndpoint publishing;

      @Override
      public String publishOffer() {
        publishing = new WebRtcEndpoint.Builder(helperPipeline).build();
        return publishing.generateOffer();
      }

      @Override
      public String republishOffer() {
        return publishOffer(); // a new endpoint: KMS negotiates one once
      }

      @Override
      public void published(String answer) {
        publishing.processAnswer(answer);
      }

      @Override
      public String answer(ReceiveOffer offer) {
        return new WebRtcEndpoint.Builder(helperPipeline).build().processOffer(offer.sdp());
      }

      @Override
      public IceCandidate candidate() {
        // no mid: the adapter takes it from the session's SDP (KMS's mids are its own)
        return new IceCandidate("candidate:1 1 UDP 2122260223 192.0.2.10 50000 typ host", null, 0);
      }
    };
  }

  @Override
  protected void assertNothingLeftOnServer(String conferenceId) {
    String name = "vclick-conf-" + conferenceId;
    for (MediaPipeline pipeline : helper.getServerManager().getPipelines()) {
      assertFalse(name.equals(pipeline.getName()), name + " was left on KMS");
    }
  }
}
