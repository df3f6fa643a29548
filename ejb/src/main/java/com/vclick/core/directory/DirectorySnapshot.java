package com.vclick.core.directory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An immutable copy of the directory, sorted by display name, and the time it was read. */
public record DirectorySnapshot(List<DirectoryEntry> entries, Instant loadedAt) {

  public static final DirectorySnapshot EMPTY = new DirectorySnapshot(List.of(), Instant.EPOCH);

  public DirectorySnapshot {
    entries =
        entries.stream()
            .sorted(
                Comparator.comparing((DirectoryEntry e) -> e.displayName().toLowerCase(Locale.ROOT))
                    .thenComparing(DirectoryEntry::username))
            .toList();
  }

  public boolean isLoaded() {
    return !loadedAt.equals(Instant.EPOCH);
  }

  /** Entries matching the query (all when blank), at most {@code limit}. */
  public List<DirectoryEntry> search(String query, int limit) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    return entries.stream().filter(e -> q.isEmpty() || e.matches(q)).limit(limit).toList();
  }

  /** The person with exactly this id, username or email (case-insensitive), if any. */
  public Optional<DirectoryEntry> find(String idUsernameOrEmail) {
    String key = idUsernameOrEmail == null ? "" : idUsernameOrEmail.strip();
    return entries.stream()
        .filter(
            e ->
                e.id().equals(key)
                    || e.username().equalsIgnoreCase(key)
                    || (!e.email().isEmpty() && e.email().equalsIgnoreCase(key)))
        .findFirst();
  }
}
