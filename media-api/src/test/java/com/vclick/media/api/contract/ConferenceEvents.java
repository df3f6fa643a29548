package com.vclick.media.api.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link ConferenceListener} keeping every event, with bounded waits (no sleeps). */
public final class ConferenceEvents implements ConferenceListener {

  private final List<ConferenceEvent> all = new CopyOnWriteArrayList<>();

  @Override
  public synchronized void onEvent(ConferenceEvent event) {
    all.add(event);
    notifyAll();
  }

  public List<ConferenceEvent> all() {
    return List.copyOf(all);
  }

  public <T extends ConferenceEvent> List<T> all(Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The recordings' outcomes so far: {@code RecordingStopped} or {@code RecordingFailed}. */
  public List<ConferenceEvent> outcomes() {
    return all.stream()
        .filter(
            e ->
                e instanceof ConferenceEvent.RecordingStopped
                    || e instanceof ConferenceEvent.RecordingFailed)
        .toList();
  }

  /** The first event (from the start) of that type matching {@code test}, waiting for it. */
  public <T extends ConferenceEvent> T await(Class<T> type, Predicate<T> test, Duration wait)
      throws InterruptedException {
    return await(type, test, wait, 0);
  }

  /** The first event of that type at index {@code from} or later matching {@code test}. */
  public synchronized <T extends ConferenceEvent> T await(
      Class<T> type, Predicate<T> test, Duration wait, int from) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    int seen = from;
    while (true) {
      for (; seen < all.size(); seen++) {
        ConferenceEvent event = all.get(seen);
        if (type.isInstance(event) && test.test(type.cast(event))) {
          return type.cast(event);
        }
      }
      long left = deadline - System.nanoTime();
      assertTrue(
          left > 0, "no matching " + type.getSimpleName() + " within " + wait + "; got " + all);
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until the event list changed from {@code size} events, or {@code wait} passed. */
  public synchronized void awaitMore(int size, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long left;
    while (all.size() == size && (left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  public int size() {
    return all.size();
  }

  /** No event matching {@code test} arrives within {@code period} (from now). */
  public synchronized void assertNone(Predicate<ConferenceEvent> test, Duration period)
      throws InterruptedException {
    int seen = all.size();
    long deadline = System.nanoTime() + period.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    for (ConferenceEvent event : all.subList(seen, all.size())) {
      assertFalse(test.test(event), "unexpected " + event + " after " + all);
    }
  }
}
