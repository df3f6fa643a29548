package com.vclick.core.calls;

import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeSubject;
import com.vclick.core.edge.store.EdgePolicyStore;
import com.vclick.core.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Whose Secure Edge decision says {@code record} for a conference: the policy in force, decided for
 * each participant on the Vclick app's own origin ({@code vclick.public-url}) with the groups the
 * directory lists and the realm roles of the participant's last signaling token. A participant the
 * directory cannot list is decided with no groups (rules on groups cannot match, as for every
 * Secure Edge decision); the policy store failing counts as {@code record} (fail closed: never a
 * silent unrecorded conference).
 */
@ApplicationScoped
public class ConferenceRecordingPolicy implements CallService.ConferencePolicy {

  private static final Logger LOG = Logger.getLogger(ConferenceRecordingPolicy.class.getName());

  @Inject EdgePolicyStore policies;
  @Inject Directory directory;
  @Inject Clock clock;
  @Inject Config config;

  private final Map<String, Caller> callers = new ConcurrentHashMap<>();

  /** Remembers who a signaling user is (their token's roles), for later decisions. */
  public void seen(Caller caller) {
    callers.put(caller.subject(), caller);
  }

  @Override
  public Set<String> recordedFor(Collection<String> userIds) {
    Set<String> recorded = new LinkedHashSet<>();
    Instant now = clock.instant();
    String origin = originOf(config.getValue("vclick.public-url", String.class));
    for (String userId : userIds) {
      try {
        EdgeDecisionKind kind =
            policies.current().policy().decide(subjectOf(userId), origin, now).kind();
        if (kind == EdgeDecisionKind.RECORD) {
          recorded.add(userId);
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "No recording decision for conference participant {0} ({1}): recorded (fail closed)",
            new Object[] {userId, e.toString()});
        recorded.add(userId);
      }
    }
    return recorded;
  }

  /** The origin of the app's public URL ({@code https://vclick.example.com/app} → no path). */
  static String originOf(String publicUrl) {
    URI url = URI.create(publicUrl.strip());
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  private EdgeSubject subjectOf(String userId) {
    Caller caller = callers.get(userId);
    Set<String> groups = groupsOf(userId).map(DirectoryEntry::groups).orElse(Set.of());
    return caller != null
        ? EdgeSubject.of(caller, groups)
        : new EdgeSubject(userId, null, Set.of(), groups);
  }

  private Optional<DirectoryEntry> groupsOf(String userId) {
    try {
      return directory.find(userId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Directory unavailable for a conference decision: {0}", e.toString());
      return Optional.empty();
    }
  }
}
