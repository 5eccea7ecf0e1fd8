package io.samsa.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of one partition log: the fsyncs behind {@code flush.messages} (Kafka's
 * {@code log.flush.interval.messages}), run off the caller's thread and shared by every append waiting for one.
 *
 * <p>A <em>round</em> is one call of the {@link Force}: it reads the log end offset, fsyncs what was appended up to
 * it (one {@code fdatasync} of the active segment) and returns that offset. At most one round of a log runs at a
 * time; appends that arrive while a round runs wait for the next one, which covers all of them. A waiter's future
 * ({@link #awaitFlushed}) completes, on the round's thread, once a round that started after its append returned: so
 * an acknowledgement sent from it is sent only after its batch reached the disk. After completing them the round
 * queues the next one if appends asked for it meanwhile, behind the rounds of other logs (the pool is shared).
 *
 * <p>A failed round (an {@link IOException} or a {@link RuntimeException} from the force) fails every waiter with
 * {@link KafkaStorageException} (KAFKA_STORAGE_ERROR) and every later one too: after a failed fsync the kernel may
 * have dropped the dirty pages and a later fsync can succeed without them, so nothing of this log may be
 * acknowledged as durable again until it is reopened (Kafka takes the log directory offline).
 *
 * <p>Thread-safe. Costs nothing for logs that never ask for a flush (the default {@code flush.messages}).
 */
final class GroupCommit {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCommit.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** One round's fsync. */
    @FunctionalInterface
    interface Force {
        /**
         * Forces everything appended so far to disk.
         *
         * @return the offset (exclusive) up to which the log is now durable
         * @throws IOException when the fsync failed
         */
        long force() throws IOException;
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    private final String name;
    private final Executor executor;
    private final Force force;
    /** Guarded by this: waiters in offset order. */
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparingLong(Waiter::offset));
    /** Guarded by this. */
    private long durableOffset;
    /** Guarded by this: a round is queued on, or running on, the executor. */
    private boolean scheduled;
    /** Guarded by this: another round is wanted once the running one returns. */
    private boolean pending;
    /** Guarded by this: set by a failed round or by close, then final. */
    private KafkaStorageException failure;
    private volatile long rounds;

    /**
     * @param name          for log lines (the topic-partition)
     * @param durableOffset the offset (exclusive) already known to be on disk (the recovery point)
     * @param executor      runs the rounds (a thread that may block in fsync, never a network event loop)
     * @param force         one round's fsync
     */
    GroupCommit(String name, long durableOffset, Executor executor, Force force) {
        this.name = name;
        this.durableOffset = durableOffset;
        this.executor = executor;
        this.force = force;
    }

    /**
     * A future that completes once every offset below {@code offset} is on disk, starting a round when none is
     * pending. Completes at once when it already is.
     *
     * @param offset exclusive end of the appended batch (its last offset + 1), at most the log end offset
     * @return completes normally once durable, exceptionally with {@link KafkaStorageException} when a round failed or
     *         the log was closed before
     */
    CompletableFuture<Void> awaitFlushed(long offset) {
        Waiter waiter;
        boolean start;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (offset <= durableOffset) {
                return DONE;
            }
            waiter = new Waiter(offset, new CompletableFuture<>());
            waiters.add(waiter);
            start = requestRoundLocked();
        }
        if (start) {
            submit(); // outside the monitor: the pool may start a thread
        }
        return waiter.future();
    }

    /** Starts a round unless one is already pending (an fsync nobody waits for: {@code flush.messages} reached). */
    void requestRound() {
        boolean start;
        synchronized (this) {
            start = failure == null && requestRoundLocked();
        }
        if (start) {
            submit();
        }
    }

    /**
     * Another path made the log durable up to {@code offset} (a synchronous flush: roll, {@code flush.ms}, close):
     * completes the waiters it covers.
     */
    void flushedTo(long offset) {
        List<Waiter> done;
        synchronized (this) {
            if (offset <= durableOffset) {
                return;
            }
            durableOffset = offset;
            done = pollCoveredLocked();
        }
        done.forEach(w -> w.future().complete(null));
    }

    /**
     * The log was truncated to {@code offset} (a follower's truncation): offsets from there on are durable again only
     * after a later round. Waiters above it stay until the log grows past their offset again and a round covers it.
     */
    void truncatedTo(long offset) {
        synchronized (this) {
            durableOffset = Math.min(durableOffset, offset);
        }
    }

    /** Fails every waiter and every later {@link #awaitFlushed} with {@link KafkaStorageException}. */
    void close(String reason) {
        fail(new KafkaStorageException(reason));
    }

    /** Rounds run so far (tests and metrics). */
    long rounds() {
        return rounds;
    }

    /** Marks a round as wanted; true when the caller must {@link #submit} one (none was queued or running). */
    private boolean requestRoundLocked() {
        pending = true;
        if (scheduled) {
            return false;
        }
        scheduled = true;
        return true;
    }

    /** Queues a round (called without the monitor, after {@code scheduled} was set under it). */
    private void submit() {
        try {
            executor.execute(this::round);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
            }
            fail(new KafkaStorageException("flusher of " + name + " is shut down", e));
        }
    }

    /**
     * One round; when appends asked for another meanwhile, it is queued behind the other logs' rounds (the pool is
     * shared: a busy log must not keep a thread for itself).
     */
    private void round() {
        synchronized (this) {
            if (failure != null) {
                scheduled = false;
                return;
            }
            pending = false;
        }
        long covered;
        try {
            covered = force.force();
            rounds++;
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Fsync failed: acknowledgements of this log fail from now on topicPartition={} error={}",
                    name, e.toString());
            synchronized (this) {
                scheduled = false;
            }
            fail(e instanceof KafkaStorageException kse ? kse : new KafkaStorageException("fsync of " + name
                    + " failed", e));
            return;
        }
        List<Waiter> done;
        synchronized (this) {
            durableOffset = Math.max(durableOffset, covered);
            done = pollCoveredLocked();
        }
        done.forEach(w -> w.future().complete(null));
        boolean again;
        synchronized (this) {
            again = pending && failure == null;
            if (!again) {
                scheduled = false;
            }
        }
        if (again) {
            submit();
        }
    }

    private List<Waiter> pollCoveredLocked() {
        if (waiters.isEmpty() || waiters.peek().offset() > durableOffset) {
            return List.of();
        }
        List<Waiter> done = new ArrayList<>();
        while (!waiters.isEmpty() && waiters.peek().offset() <= durableOffset) {
            done.add(waiters.poll());
        }
        return done;
    }

    private void fail(KafkaStorageException e) {
        List<Waiter> failed;
        synchronized (this) {
            if (failure == null) {
                failure = e;
            }
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        failed.forEach(w -> w.future().completeExceptionally(e));
    }
}
