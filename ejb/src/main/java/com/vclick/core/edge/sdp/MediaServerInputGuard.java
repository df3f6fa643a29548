package com.vclick.core.edge.sdp;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The gate between the wrapper's requests and the media server. Every description and candidate
 * must pass the grammars; the far end's candidates (written by whatever the page's signaling
 * carries) that point at a name or into a range the relay denies are left out, so the media server
 * never sends a packet into the enterprise network on a page's say-so.
 */
@ApplicationScoped
public class MediaServerInputGuard {

  private static final Logger LOG = Logger.getLogger(MediaServerInputGuard.class.getName());
  private static final String CANDIDATE_LINE = "a=candidate:";

  @Inject PeerAddressRanges farEndPeers;

  MediaServerInputGuard() {}

  MediaServerInputGuard(PeerAddressRanges farEndPeers) {
    this.farEndPeers = farEndPeers;
  }

  /**
   * The description to hand to the media server: checked, with line ends normalised to CRLF, and
   * for the far end without the candidates it may not be pointed at.
   *
   * @throws InvalidSessionDescriptionException naming the first line that breaks the grammar
   */
  public String description(Leg from, String sdp) throws InvalidSessionDescriptionException {
    List<String> lines = SessionDescriptionGrammar.check(sdp);
    StringBuilder kept = new StringBuilder(sdp.length() + lines.size());
    int dropped = 0;
    for (String line : lines) {
      if (from == Leg.FAR_END
          && line.startsWith(CANDIDATE_LINE)
          && !permitted(CandidateGrammar.parse(line.substring(2)))) {
        dropped++;
        continue;
      }
      kept.append(line).append("\r\n");
    }
    logDropped(dropped);
    return kept.toString();
  }

  /**
   * The candidate to hand to the media server, or empty when a far end's points where the media
   * server may not go.
   *
   * @throws InvalidSessionDescriptionException when it breaks the candidate grammar
   */
  public Optional<IceCandidate> candidate(Leg from, IceCandidate candidate)
      throws InvalidSessionDescriptionException {
    if (candidate.isEndOfCandidates()) {
      return Optional.of(candidate);
    }
    Candidate parsed = CandidateGrammar.parse(candidate.candidate());
    if (from == Leg.FAR_END && !permitted(parsed)) {
      logDropped(1);
      return Optional.empty();
    }
    return Optional.of(candidate);
  }

  /** Only IP literals outside the denied ranges: a name would make the media server look it up. */
  private boolean permitted(Candidate candidate) {
    Optional<InetAddress> address = candidate.ipLiteral();
    return address.isPresent() && farEndPeers.permits(address.get());
  }

  private static void logDropped(int dropped) {
    if (dropped > 0) {
      // No addresses above FINE (ARCHITECTURE.md: logs never hold candidate addresses).
      LOG.info(
          () ->
              "Left out "
                  + dropped
                  + " far-end candidate(s) pointing at a name or an internal range"
                  + " (vclick.media.far-end-allowed-peer-ips)");
    }
  }
}
