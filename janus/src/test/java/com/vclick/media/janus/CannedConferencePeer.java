package com.vclick.media.janus;

import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.contract.ConferenceContract;

/**
 * A participant's browser for the conference contract suite: the canned Chromium offer (audio and
 * video) to publish, the ICE-restart offer to republish, and an answer made from each receive offer
 * of the media server ({@link ReceiveAnswers}).
 */
final class CannedConferencePeer implements ConferenceContract.Participant {

  @Override
  public String publishOffer() {
    return JanusProxiedCallTest.OFFER;
  }

  @Override
  public String republishOffer() {
    return JanusProxiedCallTest.RESTART_OFFER;
  }

  @Override
  public String answer(ReceiveOffer offer) {
    return ReceiveAnswers.answer(offer.sdp());
  }

  @Override
  public IceCandidate candidate() {
    return new IceCandidate("candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host", "0", 0);
  }
}
