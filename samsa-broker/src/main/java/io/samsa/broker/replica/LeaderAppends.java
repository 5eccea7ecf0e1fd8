package io.samsa.broker.replica;

import io.samsa.metadata.ClusterImage;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.VerificationGuard;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * The produce path of the partitions led here (Kafka's {@code appendRecords} with its {@code DelayedProduce}): the
 * {@code min.insync.replicas} of an {@code acks=all} append, the append as leader, the wake-up of the parked fetches
 * (at once, or after the request's last append with {@link FetchWakeups}: followers', and consumers' when the high
 * watermark moved) and the per-topic traffic, then the completion per acks (after the group-commit fsync in durable
 * mode; once the high watermark passed the batch for {@code acks=all}, bounded by the request's timeout). Transaction
 * markers are such appends, with origin {@link AppendOrigin#COORDINATOR}.
 *
 * <p>Thread-safe: no state but the traffic hook (a volatile field). An append runs on its caller's thread (the I/O
 * pool); its future completes on the thread that finished the flush or moved the high watermark.
 */
final class LeaderAppends {
    private final HostedPartitions hosted;
    private final ImageLookups lookups;
    private final Supplier<ClusterImage> image;
    private final DelayedFetchPurgatory purgatory;
    private final LongSupplier clockMs;
    /** Per-topic traffic for the metrics; {@link TopicTraffic#NONE} until the broker sets one. */
    private volatile TopicTraffic traffic = TopicTraffic.NONE;

    LeaderAppends(HostedPartitions hosted, ImageLookups lookups, Supplier<ClusterImage> image,
                  DelayedFetchPurgatory purgatory, LongSupplier clockMs) {
        this.hosted = hosted;
        this.lookups = lookups;
        this.image = image;
        this.purgatory = purgatory;
        this.clockMs = clockMs;
    }

    /** See {@link ReplicaManager#traffic(TopicTraffic)}. */
    void traffic(TopicTraffic traffic) {
        this.traffic = Objects.requireNonNull(traffic, "traffic");
    }

    TopicTraffic traffic() {
        return traffic;
    }

    /**
     * See {@link ReplicaManager#appendAsLeader(TopicPartition, MemoryRecords, short, long, AppendOrigin,
     * VerificationGuard)}.
     */
    CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records, short acks,
                                                    long timeoutMs, AppendOrigin origin, VerificationGuard guard,
                                                    FetchWakeups wakeups) {
        Partition partition = hosted.leaderPartition(tp);
        int minIsr = acks == -1 ? lookups.minInsyncReplicas(image.get(), tp.topic()) : 0;
        LogAppendInfo info = partition.appendAsLeader(records, minIsr, origin, guard);
        if (!info.duplicate()) {
            if (wakeups == null) {
                purgatory.onAppend(tp); // wakes the followers' parked fetches (and consumers' when the HW moved)
            } else {
                wakeups.add(tp); // woken with the request's other partitions, after its last append
            }
            traffic.appended(tp.topic(), info.recordCount(), records.sizeInBytes());
        }
        long end = info.lastOffset() + 1;
        PartitionLog log = partition.log();
        CompletableFuture<LogAppendInfo> local = info.awaitFlush()
                ? log.flushedTo(end).thenApply(flushed -> {
                    partition.maybeIncrementHighWatermark();
                    return info;
                })
                : CompletableFuture.completedFuture(info);
        if (acks != -1) {
            return local;
        }
        return local.thenCompose(i -> partition.awaitHighWatermark(end))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null
                                ? e.getCause() : e;
                        if (cause instanceof TimeoutException) {
                            throw new org.apache.kafka.common.errors.TimeoutException("The in-sync replicas of "
                                    + tp + " did not all acknowledge offset " + info.lastOffset() + " within "
                                    + timeoutMs + " ms (isr " + partition.isr() + ")");
                        }
                        throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                    }
                    if (partition.isr().size() < minIsr) {
                        throw new NotEnoughReplicasAfterAppendException("The size of the current ISR "
                                + partition.isr() + " is insufficient to satisfy the min.isr requirement of " + minIsr
                                + " for partition " + tp);
                    }
                    return info;
                });
    }

    /** See {@link ReplicaManager#wake(FetchWakeups)}. */
    void wake(FetchWakeups wakeups) {
        for (TopicPartition tp : wakeups.appended()) {
            purgatory.onAppend(tp);
        }
    }

    /** See {@link ReplicaManager#appendTxnMarker}. */
    CompletableFuture<LogAppendInfo> appendTxnMarker(TopicPartition tp, long producerId, short producerEpoch,
                                                     int coordinatorEpoch, TransactionResult result, long timeoutMs) {
        ControlRecordType type = result == TransactionResult.COMMIT ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT;
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(clockMs.getAsLong(), producerId, producerEpoch,
                new EndTransactionMarker(type, coordinatorEpoch));
        try {
            return appendAsLeader(tp, marker, (short) -1, timeoutMs, AppendOrigin.COORDINATOR, null, null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
