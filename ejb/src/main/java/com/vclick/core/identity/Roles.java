package com.vclick.core.identity;

/** The realm roles Vclick knows; granted through groups in the {@code vclick} realm. */
public final class Roles {

  /** May call and be called; may use the relay and the directory. */
  public static final String CALLER = "caller";

  /** May list, play and download recordings. */
  public static final String RECORDING_REVIEWER = "recording-reviewer";

  /** Manages Secure Edge policies and sees every call log. */
  public static final String EDGE_ADMIN = "edge-admin";

  /** Calls of this person must be recorded. */
  public static final String REGULATED = "regulated";

  /** An external contractor; policies may restrict them. */
  public static final String CONTRACTOR = "contractor";

  private Roles() {}
}
