package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group-commit protocol over a fake force whose every fsync is released by the test (a semaphore). */
class GroupCommitTest {
    private final ExecutorService flusher = Executors.newFixedThreadPool(2);
    /** The simulated log end offset: appends move it, a force reads it when it starts. */
    private final AtomicLong logEnd = new AtomicLong();
    /** Offset covered by the last force that returned. */
    private final AtomicLong forcedTo = new AtomicLong();
    private final AtomicInteger forcesStarted = new AtomicInteger();
    private final Semaphore release = new Semaphore(0);
    private volatile IOException nextFailure;

    private final GroupCommit.Force force = () -> {
        long target = logEnd.get();
        forcesStarted.incrementAndGet();
        release.acquireUninterruptibly();
        IOException failure = nextFailure;
        if (failure != null) {
            throw failure;
        }
        forcedTo.accumulateAndGet(target, Math::max);
        return target;
    };

    @AfterEach
    void stop() {
        release.release(1_000);
        flusher.shutdownNow();
    }

    @Test
    void appendsDuringAnFsyncWaitForTheNextOneWhichCoversThemAll() throws Exception {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        // Given a first append whose fsync is running
        CompletableFuture<Void> first = commit.awaitFlushed(logEnd.addAndGet(1));
        await().until(() -> forcesStarted.get() == 1);

        // When three more appends arrive while it runs
        List<CompletableFuture<Void>> during = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            during.add(commit.awaitFlushed(logEnd.addAndGet(1)));
        }
        assertThat(first).isNotDone();

        // Then the first completes with its fsync, the three wait for one more fsync, which covers them all
        release.release();
        first.get(5, TimeUnit.SECONDS);
        await().until(() -> forcesStarted.get() == 2);
        assertThat(during).noneMatch(CompletableFuture::isDone);
        release.release();
        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(commit.rounds()).isEqualTo(2);
        assertThat(forcedTo.get()).isEqualTo(4);
    }

    @Test
    void manyConcurrentAppendsShareFsyncsAndCompleteOnlyOnceCovered() throws Exception {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        Thread releaser = Thread.ofPlatform().daemon().start(() -> { // every fsync takes a while: appends pile up
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(2); // plays the disk's latency, not synchronization
                } catch (InterruptedException e) {
                    return;
                }
                release.release();
            }
        });
        ExecutorService appenders = Executors.newFixedThreadPool(8);
        List<Throwable> uncovered = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        try {
            // When 8 threads append 2,000 batches, each waiting for its fsync
            List<CompletableFuture<CompletableFuture<Void>>> submitted = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    long end;
                    synchronized (logEnd) { // appends to one log are serialized, as under PartitionLog's lock
                        end = logEnd.addAndGet(1);
                    }
                    return commit.awaitFlushed(end).whenComplete((v, e) -> {
                        if (forcedTo.get() < end) { // completed before an fsync covered it
                            synchronized (uncovered) {
                                uncovered.add(new AssertionError("offset " + end + " acked at " + forcedTo.get()));
                            }
                        }
                    });
                }, appenders));
            }
            for (CompletableFuture<CompletableFuture<Void>> s : submitted) {
                acks.add(s.get(30, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            releaser.interrupt();
            appenders.shutdownNow();
        }

        // Then every one completed after an fsync that covered it, with far fewer fsyncs than appends
        assertThat(uncovered).isEmpty();
        assertThat(acks).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(commit.rounds()).isLessThan(2_000 / 4).isPositive();
    }

    @Test
    void aBusyLogDoesNotKeepTheSharedFlusherFromOtherLogs() throws Exception {
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try {
            GroupCommit busy = new GroupCommit("busy-0", 0, oneThread, force);
            GroupCommit other = new GroupCommit("other-0", 0, oneThread, () -> 1L);
            // Given a busy log whose fsync runs and which already wants another one
            CompletableFuture<Void> first = busy.awaitFlushed(logEnd.addAndGet(1));
            await().until(() -> forcesStarted.get() == 1);
            CompletableFuture<Void> second = busy.awaitFlushed(logEnd.addAndGet(1));
            // When another log asks for a round on the same one-thread pool
            CompletableFuture<Void> otherAck = other.awaitFlushed(1);
            release.release();
            // Then the other log's round runs before the busy log's next one
            first.get(5, TimeUnit.SECONDS);
            otherAck.get(5, TimeUnit.SECONDS);
            await().until(() -> forcesStarted.get() == 2);
            assertThat(second).isNotDone();
            release.release();
            second.get(5, TimeUnit.SECONDS);
        } finally {
            oneThread.shutdownNow();
        }
    }

    @Test
    void anOffsetAlreadyOnDiskCompletesAtOnceWithoutAnFsync() {
        GroupCommit commit = new GroupCommit("t-0", 10, flusher, force);
        assertThat(commit.awaitFlushed(10)).isCompleted();
        commit.flushedTo(20); // a synchronous flush (roll, flush.ms) moved the recovery point
        assertThat(commit.awaitFlushed(15)).isCompleted();
        assertThat(forcesStarted.get()).isZero();
    }

    @Test
    void aSynchronousFlushCompletesTheWaitersItCovers() throws Exception {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        CompletableFuture<Void> waiting = commit.awaitFlushed(logEnd.addAndGet(5));
        await().until(() -> forcesStarted.get() == 1);
        commit.flushedTo(5); // e.g. close() flushed everything
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailedFsyncFailsItsWaitersAndEveryLaterOne() throws Exception {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        nextFailure = new IOException("EIO");
        CompletableFuture<Void> first = commit.awaitFlushed(logEnd.addAndGet(1));
        await().until(() -> forcesStarted.get() == 1);
        CompletableFuture<Void> second = commit.awaitFlushed(logEnd.addAndGet(1));

        release.release();

        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(KafkaStorageException.class);
        // a later fsync might "succeed" without the dropped pages: nothing is acknowledged as durable any more
        nextFailure = null;
        release.release(10);
        assertThat(commit.awaitFlushed(logEnd.addAndGet(1))).isCompletedExceptionally();
        assertThat(forcedTo.get()).isZero();
    }

    @Test
    void closeFailsTheWaiters() {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        CompletableFuture<Void> waiting = commit.awaitFlushed(logEnd.addAndGet(1));
        commit.close("log closed");
        assertThat(waiting).isCompletedExceptionally();
        assertThat(commit.awaitFlushed(logEnd.addAndGet(1))).isCompletedExceptionally();
    }

    @Test
    void aRequestedRoundWithoutWaitersStillFsyncs() {
        GroupCommit commit = new GroupCommit("t-0", 0, flusher, force);
        logEnd.set(7);
        commit.requestRound();
        release.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> forcedTo.get() == 7);
        assertThat(commit.awaitFlushed(7)).isCompleted();
    }
}
