package com.vclick.media.janus;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.contract.ProxiedCallContract;

/**
 * A leg's browser for the contract suite, from the canned Chromium SDPs ({@code
 * src/test/resources/sdp}): its first offer or answer, then the ICE-restart ones for every later
 * round (Janus renegotiates with any of them; media is not checked).
 */
final class CannedChromiumPeer implements ProxiedCallContract.Peer {

  private int offers;
  private int answers;

  @Override
  public String offer() {
    return offers++ == 0 ? JanusProxiedCallTest.OFFER : JanusProxiedCallTest.RESTART_OFFER;
  }

  @Override
  public String answer(String offer) {
    return answers++ == 0 ? JanusProxiedCallTest.ANSWER : JanusProxiedCallTest.RESTART_ANSWER;
  }

  @Override
  public IceCandidate candidate() {
    return new IceCandidate("candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host", "0", 0);
  }
}
