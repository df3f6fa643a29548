package com.vclick.media.api.adapter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per call, so that a
 * call's events reach its listener in order while no call waits for another's slow listener. A task
 * that throws is logged and the next one runs. When the shared executor refuses (it is shut down)
 * the tasks run on the submitting thread rather than being lost. Every task counts in a {@link
 * Pending} shared by the executors of one adapter until it ran, so that shutdown can let the queues
 * drain.
 */
public final class SerialExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

  /** Tasks submitted to any of the serial executors sharing it and not yet run. */
  public static final class Pending {
    private int count;

    synchronized void add() {
      count++;
    }

    synchronized void done() {
      count--;
      if (count == 0) {
        notifyAll();
      }
    }

    /** Waits until every task ran (or {@code timeout}); whether they all did. */
    public synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
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
  private boolean running;

  /** A serial executor on {@code shared} whose tasks count in a {@link Pending} of its own. */
  public SerialExecutor(Executor shared) {
    this(shared, new Pending());
  }

  public SerialExecutor(Executor shared, Pending pending) {
    this.shared = shared;
    this.pending = pending;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      pending.add();
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      shared.execute(this::drain);
    } catch (RejectedExecutionException e) {
      LOG.fine("the shared executor is shut down: the events run on the caller's thread");
      drain();
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (tasks) {
        task = tasks.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a media event listener threw", e);
      } finally {
        pending.done();
      }
    }
  }
}
