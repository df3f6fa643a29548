package com.vclick.core.edge.connections;

/**
 * Which lock serialises what. Reports of unrelated pages run side by side; what one report reads
 * and then changes is covered by a lock: each page's connections (regrouping reads whole pages),
 * and each pair of certificates (pairing reads every claim on them). Locks are stripes: a fixed set
 * of rows, {@link #STRIPES} of them, a page or certificate pair hashed onto one; two unrelated keys
 * on one stripe only wait for each other. {@link String#hashCode()} is specified, so every cluster
 * member picks the same stripe. Taken in ascending order where the set is known in advance.
 */
final class ConnectionLocks {

  /** Rows in {@code edge_connection_stripe} (V8 migration): ids 0 to STRIPES - 1. */
  static final int STRIPES = 1024;

  private ConnectionLocks() {}

  static int page(String userId, String pageId) {
    return stripe("page\n" + userId + "\n" + pageId);
  }

  /** The same stripe whichever way round the two are given. */
  static int claims(Fingerprint one, Fingerprint other) {
    String a = one.toString();
    String b = other.toString();
    return stripe("claims\n" + (a.compareTo(b) <= 0 ? a + "\n" + b : b + "\n" + a));
  }

  private static int stripe(String key) {
    return Math.floorMod(key.hashCode(), STRIPES);
  }
}
