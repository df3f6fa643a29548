package com.vclick.core.recordings.compliance;

import java.util.Locale;

/** What became of the recording of one connection made under a {@code record} decision. */
public enum ComplianceStatus {
  /** A stored recording of both legs, nothing went wrong. */
  RECORDED,
  /**
   * Stored, but not a complete recording (a leg missing, partial, interrupted): an explained gap.
   */
  INCOMPLETE,
  /** No recording: an audited failure with its reason (an explained gap). */
  FAILED,
  /** The connection never connected: no media to record (an explained gap). */
  NO_MEDIA,
  /** The call or its storing is still going on: not counted yet. */
  IN_PROGRESS,
  /** It connected and nothing recorded it or accounts for it: the gap an audit must not find. */
  UNEXPLAINED;

  /** {@code recorded}, {@code incomplete}, … as the API writes it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether it is a gap (not a complete recording and not still going on). */
  public boolean gap() {
    return this != RECORDED && this != IN_PROGRESS;
  }
}
