package com.vclick.core.directory;

import com.vclick.core.config.DirectoryConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The cached directory. Loaded shortly after start-up and then every {@code
 * vclick.directory.refresh}; when Keycloak cannot be read the previous snapshot stays in use and
 * the next timer tries again.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Directory {

  private static final Logger LOG = Logger.getLogger(Directory.class.getName());

  @Inject DirectoryConfig config;
  @Inject DirectorySource source;
  @Inject Clock clock;
  @Resource TimerService timers;

  private volatile DirectorySnapshot snapshot = DirectorySnapshot.EMPTY;
  private volatile Set<String> userIds = Set.of(); // of the snapshot, written before it

  @PostConstruct
  void scheduleRefresh() {
    long interval = config.refresh().toMillis();
    timers.createIntervalTimer(1_000, interval, new TimerConfig("directory-refresh", false));
  }

  @Timeout
  void refresh() {
    try {
      reload();
    } catch (DirectoryUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "Directory refresh failed, keeping the previous snapshot: {0}",
          e.getMessage());
    }
  }

  /** Reads the source now and replaces the snapshot. */
  public DirectorySnapshot reload() {
    List<DirectoryEntry> entries = source.readAll();
    DirectorySnapshot loaded = new DirectorySnapshot(entries, clock.instant());
    userIds = entries.stream().map(DirectoryEntry::id).collect(Collectors.toUnmodifiableSet());
    snapshot = loaded;
    LOG.fine(() -> "Directory loaded: " + entries.size() + " people");
    return loaded;
  }

  /**
   * Searches by name, username, email or phone digits.
   *
   * @throws DirectoryUnavailableException when the directory was never loaded and cannot be now
   */
  public List<DirectoryEntry> search(String query, int limit) {
    return loaded().search(query, Math.min(limit, config.maxResults()));
  }

  /**
   * The person with exactly this id, username or email.
   *
   * @throws DirectoryUnavailableException when the directory was never loaded and cannot be now
   */
  public Optional<DirectoryEntry> find(String idUsernameOrEmail) {
    return loaded().find(idUsernameOrEmail);
  }

  /**
   * Whether a person in the directory has exactly this id; a hash look-up, as presence.watch asks
   * about up to 1,000 ids per message.
   *
   * @throws DirectoryUnavailableException when the directory was never loaded and cannot be now
   */
  public boolean isUserId(String id) {
    loaded();
    return userIds.contains(id);
  }

  /** The current snapshot, read from the source first if it never was. */
  private DirectorySnapshot loaded() {
    DirectorySnapshot current = snapshot;
    return current.isLoaded() ? current : reload();
  }

  public boolean isLoaded() {
    return snapshot.isLoaded();
  }
}
