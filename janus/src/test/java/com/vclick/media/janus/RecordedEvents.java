package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps every event, with waits bounded in time (no sleeps). */
final class RecordedEvents implements MediaEventListener {

  private final LinkedBlockingQueue<MediaEvent> queue = new LinkedBlockingQueue<>();
  private final List<MediaEvent> all = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void onEvent(MediaEvent event) {
    all.add(event);
    queue.add(event);
  }

  /** The next event of that type (skipping others), waiting up to 10 s. */
  <T extends MediaEvent> T next(Class<T> type) throws InterruptedException {
    return next(type, Duration.ofSeconds(10));
  }

  <T extends MediaEvent> T next(Class<T> type, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      MediaEvent event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(event, "no " + type.getSimpleName() + " within " + wait + "; got " + all);
      if (type.isInstance(event)) {
        return type.cast(event);
      }
    }
  }

  /** Every event so far. */
  List<MediaEvent> all() {
    return new ArrayList<>(all);
  }

  <T extends MediaEvent> List<T> all(Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  void assertNone(Class<? extends MediaEvent> type) {
    assertTrue(all(type).isEmpty(), "unexpected " + type.getSimpleName() + ": " + all);
  }
}
