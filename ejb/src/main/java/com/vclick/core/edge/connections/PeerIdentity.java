package com.vclick.core.edge.connections;

import com.vclick.core.directory.DirectoryEntry;
import java.util.Optional;

/**
 * Who is at the other end of a caller's connection: the enterprise identity from the directory or,
 * when the directory cannot say, what the peer's own token said when they reported.
 *
 * @param email from the directory only; empty when it cannot say or has none
 */
public record PeerIdentity(
    String userId, String username, String displayName, Optional<String> email) {

  static PeerIdentity of(DirectoryEntry entry) {
    return new PeerIdentity(
        entry.id(),
        entry.username(),
        entry.displayName(),
        entry.email().isEmpty() ? Optional.empty() : Optional.of(entry.email()));
  }

  static PeerIdentity of(Participant reported) {
    return new PeerIdentity(
        reported.userId(), reported.username(), reported.displayName(), Optional.empty());
  }
}
