package com.vclick.core.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.LocalSettings;
import com.vclick.core.edge.OriginPattern;
import com.vclick.core.edge.PolicyValidationException;
import com.vclick.core.edge.json.EdgePolicyJson;
import com.vclick.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-memory copy of the policy, against a fake database. */
class EdgePolicyStoreTest {

  private static final EdgePolicy DENY_ALL =
      new EdgePolicy(List.of(), new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.lockedDown()));

  /** What the database holds, and how often it was asked. */
  private static final class FakeRepository extends EdgePolicyRepository {
    VersionedPolicy stored = new VersionedPolicy(EdgePolicy.shipped(), 0);
    int versionReads;
    int loads;
    int replacements;

    @Override
    public long version() {
      versionReads++;
      return stored.version();
    }

    @Override
    public VersionedPolicy load() {
      loads++;
      return stored;
    }

    @Override
    public VersionedPolicy replace(String actor, EdgePolicy policy, long expectedVersion) {
      if (expectedVersion != stored.version()) {
        throw new StalePolicyVersionException(expectedVersion, stored.version());
      }
      replacements++;
      stored = new VersionedPolicy(policy, expectedVersion + 1);
      return stored;
    }
  }

  private final FakeRepository repository = new FakeRepository();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final EdgePolicyStore store = store();

  private EdgePolicyStore store() {
    var store = new EdgePolicyStore();
    store.repository = repository;
    store.clock = clock;
    return store;
  }

  @Test
  void theCopyIsUsedWithoutAskingTheDatabaseUntilTheRecheck() {
    assertEquals(EdgePolicy.shipped(), store.current().policy());
    assertEquals(1, repository.loads);

    clock.advance(EdgePolicyStore.RECHECK.minusMillis(1));
    store.current();
    assertEquals(1, repository.loads);
    assertEquals(0, repository.versionReads);
  }

  @Test
  void afterTheRecheckOnlyTheVersionIsReadWhileItIsUnchanged() {
    store.current();
    clock.advance(EdgePolicyStore.RECHECK);
    store.current();
    assertEquals(1, repository.versionReads);
    assertEquals(1, repository.loads);
  }

  @Test
  void aChangeByAnotherMemberIsReadAfterTheRecheck() {
    store.current();
    repository.stored = new VersionedPolicy(DENY_ALL, 1);

    assertEquals(0, store.current().version(), "still the copy");
    clock.advance(EdgePolicyStore.RECHECK);
    assertEquals(DENY_ALL, store.current().policy());
    assertEquals(2, repository.loads);
  }

  @Test
  void aChangeMadeHereIsInForceAtOnce() {
    store.current();
    VersionedPolicy saved = store.replace("u-frank", DENY_ALL, 0);

    assertEquals(1, saved.version());
    assertSame(saved, store.current());
    assertEquals(1, repository.loads);
  }

  @Test
  void anOlderReadNeverReplacesANewerCopy() {
    store.replace("u-frank", DENY_ALL, 0);
    // A member that still reads version 0 (a slow replica) must not roll the copy back.
    repository.stored = new VersionedPolicy(EdgePolicy.shipped(), 0);
    clock.advance(Duration.ofMinutes(1));

    store.current();
    assertEquals(DENY_ALL, store.current().policy());
  }

  @Test
  void aPolicyThatWouldNotReadBackIsRefusedBeforeAnythingIsWritten() {
    List<OriginPattern> tooMany =
        IntStream.rangeClosed(0, EdgePolicyJson.MAX_CONDITIONS)
            .mapToObj(i -> OriginPattern.parse("https://o" + i + ".example"))
            .toList();
    EdgePolicy huge =
        new EdgePolicy(
            List.of(
                new EdgeRule(
                    "r",
                    "R",
                    true,
                    Set.of(),
                    Set.of(),
                    tooMany,
                    List.of(),
                    new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.defaults()))),
            EdgeOutcome.shippedDefault());

    PolicyValidationException e =
        assertThrows(PolicyValidationException.class, () -> store.replace("u-frank", huge, 0));
    assertEquals("rules[0].origins", e.field());
    assertEquals(0, repository.replacements);
  }

  @Test
  void aStaleVersionIsRefusedAndTheCopyKept() {
    store.replace("u-frank", DENY_ALL, 0);
    assertThrows(
        StalePolicyVersionException.class, () -> store.replace("u-frank", EdgePolicy.shipped(), 0));
    assertEquals(DENY_ALL, store.current().policy());
  }
}
