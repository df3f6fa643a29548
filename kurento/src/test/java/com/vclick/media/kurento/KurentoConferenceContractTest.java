package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ConferenceContract;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The {@code Conference} contract against {@link FakeKurento}. */
class KurentoConferenceContractTest extends ConferenceContract {

  private final FakeKurento kurento = new FakeKurento();
  private final KurentoMediaServer server =
      new KurentoMediaServer(
          KurentoSettings.from(Map.of("recording-stop-timeout-ms", "3000")),
          kurento,
          Clock.systemUTC(),
          null);

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected MediaServer server() {
    return server;
  }

  @Override
  protected Participant participant(String conferenceId, String participantId) {
    return new Participant() {
      private int round;

      @Override
      public String publishOffer() {
        return FakeKurento.sdp("publish-" + participantId + "-" + ++round);
      }

      @Override
      public String republishOffer() {
        return FakeKurento.sdp("republish-" + participantId + "-" + ++round);
      }

      @Override
      public String answer(ReceiveOffer offer) {
        return FakeKurento.sdp("answer-" + participantId + "-" + offer.sessionId());
      }

      @Override
      public IceCandidate candidate() {
        return new IceCandidate(
            "candidate:" + participantId + " 1 udp 2122260223 192.0.2.10 50000 typ host", "0", 0);
      }
    };
  }

  @Override
  protected void assertCandidatesReached(
      Room room, String participantId, String sessionId, int count) {
    String endpoint =
        room.id
            + "-"
            + participantId
            + "-"
            + (Conference.PUBLISH.equals(sessionId) ? "publish" : sessionId);
    assertEquals(
        count,
        kurento.conference(room.id).endpoint(endpoint).candidates.size(),
        participantId + "'s candidates of " + sessionId + " added");
  }

  @Override
  protected void assertNothingLeftOnServer(String conferenceId) {
    assertThrows(AssertionError.class, () -> kurento.conference(conferenceId), "pipeline released");
  }
}
