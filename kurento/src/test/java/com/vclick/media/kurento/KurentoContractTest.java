package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ProxiedCallContract;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The {@code ProxiedCall} contract against {@link FakeKurento}. */
class KurentoContractTest extends ProxiedCallContract {

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
  protected Peer peer(String callId, Leg leg) {
    return new Peer() {
      private int round;

      @Override
      public String offer() {
        return FakeKurento.sdp("browser-offer-" + leg + "-" + ++round);
      }

      @Override
      public String answer(String offer) {
        return FakeKurento.sdp("browser-answer-" + leg + "-" + ++round);
      }

      @Override
      public IceCandidate candidate() {
        return new IceCandidate(
            "candidate:" + leg + " 1 udp 2122260223 192.0.2.10 50000 typ host", "0", 0);
      }
    };
  }

  @Override
  protected void assertCandidatesReached(Call call, Leg leg, int count) {
    String endpoint = call.id + (leg == Leg.ENTERPRISE ? "-enterprise" : "-far-end");
    assertEquals(
        count,
        kurento.pipeline(call.id).endpoint(endpoint).candidates.size(),
        leg + "'s candidates added");
  }

  @Override
  protected void assertNothingLeftOnServer(String callId) {
    assertThrows(AssertionError.class, () -> kurento.pipeline(callId), "pipeline released");
  }
}
