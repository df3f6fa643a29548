package com.vclick.media.kurento;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per call, so that a
 * call's events reach its listener in order while calls do not wait for each other. Every task
 * counts in a shared {@link Pending} until it ran, so that shutdown can let the queues drain.
 */
final class SerialExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

  /** Tasks submitted to any of the serial executors sharing it and not yet run. */
  static final class Pending {
    private int count;

    synchronized void add() {
      count++;
    }

    synchronized void done(int tasks) {
      count -= tasks;
      if (count == 0) {
        notifyAll();
      }
    }

    /** Waits until every task ran (or {@code timeout}); whether they all did. */
    synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  private final Executor shared;
  private final Pending pending;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private Runnable active;

  SerialExecutor(Executor shared, Pending pending) {
    this.shared = shared;
    this.pending = pending;
  }

  @Override
  public synchronized void execute(Runnable task) {
    pending.add();
    tasks.add(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a media event listener threw", e);
          } finally {
            pending.done(1);
            next();
          }
        });
    if (active == null) {
      next();
    }
  }

  private synchronized void next() {
    active = tasks.poll();
    if (active != null) {
      try {
        shared.execute(active);
      } catch (RejectedExecutionException e) {
        LOG.fine("events dropped: the adapter is shut down");
        pending.done(tasks.size() + 1);
        tasks.clear();
        active = null;
      }
    }
  }
}
