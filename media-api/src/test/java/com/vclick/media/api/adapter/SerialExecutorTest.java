package com.vclick.media.api.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void tasksRunOneAtATimeInOrderAndAThrowingOneDoesNotStopTheRest() throws Exception {
    var pending = new SerialExecutor.Pending();
    var serial = new SerialExecutor(pool, pending);
    List<Integer> seen = new ArrayList<>();
    var running = new AtomicInteger();
    var overlap = new AtomicInteger();
    for (int i = 0; i < 500; i++) {
      int n = i;
      serial.execute(
          () -> {
            if (running.incrementAndGet() > 1) {
              overlap.incrementAndGet();
            }
            seen.add(n); // unsynchronised on purpose: one at a time
            running.decrementAndGet();
            if (n == 10) {
              throw new IllegalStateException("a listener failing");
            }
          });
    }
    assertTrue(pending.awaitNone(Duration.ofSeconds(10)));
    assertEquals(0, overlap.get());
    assertEquals(500, seen.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i, seen.get(i));
    }
  }

  @Test
  void oneCallsSlowListenerDoesNotHoldAnother() throws Exception {
    var slow = new SerialExecutor(pool);
    var fast = new SerialExecutor(pool);
    var release = new CountDownLatch(1);
    var done = new CountDownLatch(1);
    slow.execute(
        () -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    fast.execute(done::countDown);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    release.countDown();
  }

  @Test
  void afterTheSharedPoolIsShutDownTasksRunOnTheCallersThread() throws Exception {
    var pending = new SerialExecutor.Pending();
    var serial = new SerialExecutor(pool, pending);
    pool.shutdown();
    var thread = new ArrayList<Thread>();
    serial.execute(() -> thread.add(Thread.currentThread()));
    assertEquals(List.of(Thread.currentThread()), thread, "run here, not lost");
    assertTrue(pending.awaitNone(Duration.ZERO));
  }

  @Test
  void pendingTellsWhenTheQueuesDidNotDrainInTime() throws Exception {
    var pending = new SerialExecutor.Pending();
    var serial = new SerialExecutor(pool, pending);
    var release = new CountDownLatch(1);
    serial.execute(
        () -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    serial.execute(() -> {});
    assertFalse(pending.awaitNone(Duration.ofMillis(100)));
    release.countDown();
    assertTrue(pending.awaitNone(Duration.ofSeconds(5)));
  }
}
