package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The media-section ids ({@code a=mid}) of one endpoint as its peer knows them. A later round
 * negotiates on new endpoints, and KMS names the sections of an offer it generates in its own way
 * ({@code audio0}, {@code video0}); a peer whose session began with its own offer knows them as
 * {@code 0}, {@code 1}… and refuses an offer that renames them ("the order of m-lines … doesn't
 * match"). So the sections of KMS's offer take the peer's ids, section by section where the kinds
 * agree, and the peer's answer and candidates get KMS's back. Empty: nothing to rename.
 */
record MidMap(Map<String, String> kmsToPeer) {

  static final MidMap NONE = new MidMap(Map.of());

  MidMap {
    kmsToPeer = Map.copyOf(kmsToPeer);
  }

  /**
   * The renaming that makes {@code kmsOffer}'s sections carry {@code peerSession}'s ids: section i
   * takes the id of the peer's section i when both are of the same kind. Sections beyond the peer's
   * (media added in this round) keep KMS's id; when two sections would then carry one id nothing is
   * renamed.
   */
  static MidMap between(SdpSummary kmsOffer, List<SdpSummary.Section> peerSession) {
    Map<String, String> renamed = new HashMap<>();
    List<SdpSummary.Section> ours = kmsOffer.sections();
    for (int i = 0; i < ours.size() && i < peerSession.size(); i++) {
      SdpSummary.Section section = ours.get(i);
      SdpSummary.Section theirs = peerSession.get(i);
      if (section.mid() != null
          && theirs.mid() != null
          && theirs.kind().equals(section.kind())
          && !theirs.mid().equals(section.mid())) {
        renamed.put(section.mid(), theirs.mid());
      }
    }
    Set<String> names = new HashSet<>();
    for (SdpSummary.Section section : ours) {
      String mid = section.mid();
      if (mid != null && !names.add(renamed.getOrDefault(mid, mid))) {
        return NONE; // two sections would carry one id: leave KMS's as they are
      }
    }
    return renamed.isEmpty() ? NONE : new MidMap(renamed);
  }

  boolean isEmpty() {
    return kmsToPeer.isEmpty();
  }

  /**
   * {@code sdp} (KMS's) with the peer's ids. Without the RTP header extension that carries the
   * section id in every packet ({@code sdes:mid}): KMS would go on sending its own ids, and the
   * peer would drop packets of a section it does not know; without it both sides demultiplex by
   * SSRC.
   */
  String toPeer(String sdp) {
    return isEmpty() ? sdp : rename(sdp, kmsToPeer).replaceAll(MID_EXTENSION, "");
  }

  private static final String MID_EXTENSION =
      "(?m)^a=extmap:[^\\r\\n]*urn:ietf:params:rtp-hdrext:sdes:mid[^\\r\\n]*\\r?\\n";

  /** {@code sdp} (the peer's) with KMS's ids. */
  String toKms(String sdp) {
    return rename(sdp, inverse());
  }

  /** A candidate of the peer, with KMS's id of its section. */
  IceCandidate toKms(IceCandidate candidate) {
    String mid = candidate.sdpMid();
    if (mid == null || isEmpty()) {
      return candidate;
    }
    String ours = inverse().get(mid);
    return ours == null
        ? candidate
        : new IceCandidate(candidate.candidate(), ours, candidate.sdpMLineIndex());
  }

  /** The peer's id of a KMS section id (itself when not renamed). */
  String peerMid(String kmsMid) {
    return kmsMid == null ? null : kmsToPeer.getOrDefault(kmsMid, kmsMid);
  }

  private Map<String, String> inverse() {
    Map<String, String> inverse = new HashMap<>();
    kmsToPeer.forEach((kms, peer) -> inverse.put(peer, kms));
    return inverse;
  }

  private static String rename(String sdp, Map<String, String> names) {
    if (names.isEmpty()) {
      return sdp;
    }
    String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
    String[] lines = sdp.split("\r?\n", -1);
    StringBuilder out = new StringBuilder(sdp.length() + 16);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("a=mid:")) {
        String mid = line.substring("a=mid:".length()).trim();
        line = "a=mid:" + names.getOrDefault(mid, mid);
      } else if (line.startsWith("a=group:")) {
        String[] tokens = line.split(" ");
        StringBuilder group = new StringBuilder(tokens[0]);
        for (int t = 1; t < tokens.length; t++) {
          group.append(' ').append(names.getOrDefault(tokens[t], tokens[t]));
        }
        line = group.toString();
      }
      out.append(line);
      if (i < lines.length - 1) {
        out.append(eol);
      }
    }
    return out.toString();
  }
}
