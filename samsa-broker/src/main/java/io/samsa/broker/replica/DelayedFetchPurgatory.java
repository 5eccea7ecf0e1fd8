package io.samsa.broker.replica;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Holds parked fetches (long poll, {@code max.wait.ms}/{@code min.bytes}) keyed by the partitions they watch
 * (Kafka's {@code DelayedOperationPurgatory}). An append to a partition re-checks the operations watching it; a
 * timer forces each one to complete at its deadline.
 *
 * <p>Thread-safe.
 */
public final class DelayedFetchPurgatory implements AutoCloseable {
    private final ConcurrentHashMap<TopicPartition, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    /** The parked fetches of followers ({@link DelayedOperation#replicaId} >= 0), until their deadline passes. */
    private final Set<DelayedOperation> followerFetches = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;

    public DelayedFetchPurgatory() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "samsa-delayed-fetch-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Parks {@code op} on {@code keys} unless it completes right away; forces it at {@code timeoutMs}.
     */
    public void watch(DelayedOperation op, Collection<TopicPartition> keys, long timeoutMs) {
        if (op.replicaId() >= 0) {
            followerFetches.add(op);
        }
        for (TopicPartition tp : keys) {
            watchers.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(op);
        }
        // An append may have landed between the caller's first check and registration.
        if (op.tryComplete()) {
            unwatch(op, keys);
            return;
        }
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            op.forceComplete();
            unwatch(op, keys);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        if (op.isCompleted()) {
            deadline.cancel(false);
        }
    }

    private void unwatch(DelayedOperation op, Collection<TopicPartition> keys) {
        followerFetches.remove(op);
        for (TopicPartition tp : keys) {
            Set<DelayedOperation> set = watchers.get(tp);
            if (set != null) {
                set.remove(op);
            }
        }
    }

    /** New data in {@code tp}: completes the parked operations whose condition now holds. */
    public void onAppend(TopicPartition tp) {
        Set<DelayedOperation> set = watchers.get(tp);
        if (set == null || set.isEmpty()) {
            return;
        }
        for (DelayedOperation op : set) {
            if (op.isCompleted() || op.tryComplete()) {
                set.remove(op);
            }
        }
    }

    /**
     * Answers now the parked fetches of the followers {@code replicaIds} (node ids), whatever partitions they watch:
     * a leadership they are to follow began here ({@link NewLeaderships}).
     */
    public void wakeFollowerFetches(Collection<Integer> replicaIds) {
        for (DelayedOperation op : followerFetches) {
            if (!op.isCompleted() && replicaIds.contains(op.replicaId())) {
                op.forceComplete();
            }
        }
    }

    /** {@code tp} was deleted or moved: every operation watching it answers now. */
    public void partitionGone(TopicPartition tp) {
        Set<DelayedOperation> set = watchers.remove(tp);
        if (set != null) {
            set.forEach(DelayedOperation::forceComplete);
        }
    }

    /** Number of operations parked (for tests and metrics). */
    public int size() {
        return (int) watchers.values().stream().flatMap(Set::stream).distinct().count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watchers.values().forEach(s -> s.forEach(DelayedOperation::forceComplete));
        watchers.clear();
        followerFetches.clear();
    }
}
