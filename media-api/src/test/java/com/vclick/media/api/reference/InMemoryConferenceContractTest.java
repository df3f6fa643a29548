package com.vclick.media.api.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.contract.ConferenceContract;
import org.junit.jupiter.api.AfterEach;

/** The conference contract suite checked on the smallest conference that passes it. */
class InMemoryConferenceContractTest extends ConferenceContract {

  private final InMemoryConferences server = new InMemoryConferences();

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
      @Override
      public String publishOffer() {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendrecv\r\n";
      }

      @Override
      public String republishOffer() {
        return publishOffer().replace("1 1 IN", "1 2 IN");
      }

      @Override
      public String answer(ReceiveOffer offer) {
        return offer.sdp().replace("sendonly", "recvonly");
      }

      @Override
      public IceCandidate candidate() {
        return new IceCandidate("candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host", "0", 0);
      }
    };
  }

  @Override
  protected void assertCandidatesReached(
      Room room, String participantId, String sessionId, int count) {
    assertEquals(
        count, server.candidates.getOrDefault(room.id + "/" + participantId + "/" + sessionId, 0));
  }

  @Override
  protected void assertNothingLeftOnServer(String conferenceId) {
    assertFalse(server.holds(conferenceId));
  }
}
