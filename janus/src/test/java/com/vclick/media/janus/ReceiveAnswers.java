package com.vclick.media.janus;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers a media server's receive offer as a browser without tracks would: every section it offers
 * is accepted {@code recvonly} with its first payload type (rejected ones stay rejected), one ICE
 * ufrag/pwd and DTLS fingerprint of the canned Chromium answer, {@code setup:active}, BUNDLE as
 * offered. Good enough for Janus to take as an answer; no media flows.
 */
final class ReceiveAnswers {

  private ReceiveAnswers() {}

  static String answer(String offer) {
    String ufrag = attribute(JanusProxiedCallTest.ANSWER, "a=ice-ufrag:");
    String pwd = attribute(JanusProxiedCallTest.ANSWER, "a=ice-pwd:");
    String fingerprint = attribute(JanusProxiedCallTest.ANSWER, "a=fingerprint:");
    var out = new StringBuilder("v=0\r\no=- 7394816 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    List<String[]> sections = sections(offer);
    String bundle = attribute(offer, "a=group:BUNDLE");
    if (bundle != null) {
      out.append("a=group:BUNDLE").append(bundle).append("\r\n");
    }
    out.append("a=msid-semantic: WMS\r\n");
    for (String[] section : sections) {
      String mline = section[0];
      String[] parts = mline.split(" ");
      boolean rejected = parts[1].equals("0");
      String pt = parts.length > 3 ? parts[3] : "0";
      out.append(parts[0])
          .append(rejected ? " 0 " : " 9 ")
          .append(parts[2])
          .append(' ')
          .append(pt)
          .append("\r\nc=IN IP4 0.0.0.0\r\n");
      String mid = null;
      List<String> keep = new ArrayList<>();
      for (int i = 1; i < section.length; i++) {
        String line = section[i];
        if (line.startsWith("a=mid:")) {
          mid = line;
        } else if (line.startsWith("a=rtpmap:" + pt + " ")
            || line.startsWith("a=fmtp:" + pt + " ")
            || line.startsWith("a=rtcp-fb:" + pt + " ")
            || line.startsWith("a=extmap:")
            || line.equals("a=rtcp-mux")) {
          keep.add(line);
        }
      }
      out.append("a=ice-ufrag:")
          .append(ufrag)
          .append("\r\na=ice-pwd:")
          .append(pwd)
          .append("\r\na=ice-options:trickle\r\na=fingerprint:")
          .append(fingerprint)
          .append("\r\na=setup:active\r\n");
      if (mid != null) {
        out.append(mid).append("\r\n");
      }
      out.append(rejected ? "a=inactive\r\n" : "a=recvonly\r\n");
      for (String line : keep) {
        out.append(line).append("\r\n");
      }
    }
    return out.toString();
  }

  private static List<String[]> sections(String sdp) {
    List<String[]> sections = new ArrayList<>();
    List<String> current = null;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        if (current != null) {
          sections.add(current.toArray(String[]::new));
        }
        current = new ArrayList<>();
      }
      if (current != null) {
        current.add(line);
      }
    }
    if (current != null) {
      sections.add(current.toArray(String[]::new));
    }
    return sections;
  }

  private static String attribute(String sdp, String prefix) {
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    return null;
  }
}
