package io.samsa.coordinator.txn;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TxnMarkerQueue} over the network (Kafka's {@code TransactionMarkerChannelManager}): groups a transaction's
 * partitions by their current leader (this broker included, over its own listener, as Kafka) and sends each leader
 * one WriteTxnMarkers request. Partitions answered NONE are done; retriable errors (NOT_LEADER_OR_FOLLOWER,
 * UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS*, REQUEST_TIMED_OUT, KAFKA_STORAGE_ERROR, COORDINATOR_*), failed
 * connections and partitions without a leader are retried every {@value #RETRY_BACKOFF_MS} ms against the leader of
 * the moment; partitions of deleted topics are dropped; INVALID_PRODUCER_EPOCH and TRANSACTION_COORDINATOR_FENCED
 * stop the sending (a newer coordinator or epoch owns the transaction). Sending stops when the shard is unloaded.
 *
 * <p>Thread-safe; never blocks: callbacks run on the {@link TxnMarkerChannel}'s thread and the scheduler.
 */
public final class TxnMarkerSender implements TxnMarkerQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(TxnMarkerSender.class);
    static final long RETRY_BACKOFF_MS = 100;

    private final TxnMarkerChannel sender;
    private final Supplier<ClusterImage> image;
    private final ScheduledExecutorService scheduler;

    public TxnMarkerSender(TxnMarkerChannel sender, Supplier<ClusterImage> image,
                           ScheduledExecutorService scheduler) {
        this.sender = sender;
        this.image = image;
        this.scheduler = scheduler;
    }

    private static final class Pending {
        final TxnShard shard;
        final TxnMetadata txn;
        final TransactionResult result;
        final Set<TopicPartition> remaining = ConcurrentHashMap.newKeySet();
        final Runnable onWritten;
        final AtomicBoolean finished = new AtomicBoolean();
        int attempts;

        Pending(TxnShard shard, TxnMetadata txn, Runnable onWritten) {
            this.shard = shard;
            this.txn = txn;
            this.result = txn.state() == TransactionState.PREPARE_COMMIT ? TransactionResult.COMMIT
                    : TransactionResult.ABORT;
            this.remaining.addAll(txn.partitions());
            this.onWritten = onWritten;
        }
    }

    @Override
    public void enqueue(TxnShard shard, TxnMetadata prepared, Runnable onWritten) {
        if (!prepared.state().isPrepare()) {
            throw new IllegalArgumentException("No markers to write in state " + prepared.state());
        }
        attempt(new Pending(shard, prepared, onWritten));
    }

    private void attempt(Pending p) {
        if (p.shard.isClosed() || p.finished.get()) {
            return;
        }
        p.attempts++;
        ClusterImage img = image.get();
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        boolean leaderless = false;
        for (TopicPartition tp : p.remaining) {
            TopicImage topic = img.topic(tp.topic()).orElse(null);
            if (topic == null || tp.partition() >= topic.partitions().size()) {
                LOGGER.info("Dropping {} from the {} markers of {}: the topic no longer exists", tp, p.result,
                        p.txn.transactionalId());
                p.remaining.remove(tp);
                continue;
            }
            PartitionImage partition = topic.partitions().get(tp.partition());
            if (partition.leader() < 0) {
                leaderless = true;
                continue;
            }
            byLeader.computeIfAbsent(partition.leader(), k -> new ArrayList<>()).add(tp);
        }
        if (byLeader.isEmpty()) {
            if (leaderless) {
                retryLater(p);
            } else {
                finish(p);
            }
            return;
        }
        AtomicInteger outstanding = new AtomicInteger(byLeader.size());
        AtomicBoolean retry = new AtomicBoolean(leaderless);
        byLeader.forEach((leader, partitions) -> {
            WriteTxnMarkersRequest.TxnMarkerEntry entry = new WriteTxnMarkersRequest.TxnMarkerEntry(
                    p.txn.producerId(), p.txn.producerEpoch(), p.shard.coordinatorEpoch(), p.result, partitions,
                    p.txn.clientTransactionVersion());
            sender.send(leader, new WriteTxnMarkersRequest.Builder(List.of(entry)))
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            logRetry(p, leader, error.toString());
                            retry.set(true);
                        } else if (!onResponse(p, leader, partitions, response)) {
                            retry.set(true);
                        }
                        if (outstanding.decrementAndGet() == 0) {
                            if (p.remaining.isEmpty()) {
                                finish(p);
                            } else if (retry.get()) {
                                retryLater(p);
                            }
                        }
                    });
        });
    }

    /** Applies one leader's answer; false when some partition must be retried. */
    private boolean onResponse(Pending p, int leader, List<TopicPartition> partitions,
                               WriteTxnMarkersResponse response) {
        Map<TopicPartition, Errors> errors = response.errorsByProducerId().getOrDefault(p.txn.producerId(), Map.of());
        boolean retry = false;
        for (TopicPartition tp : partitions) {
            Errors error = errors.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
            switch (error) {
                case NONE, UNSUPPORTED_FOR_MESSAGE_FORMAT -> p.remaining.remove(tp);
                case INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED -> {
                    LOGGER.info("Stopping the {} markers of {}: {} answered {} for {} (a newer coordinator or "
                            + "producer epoch owns it)", p.result, p.txn.transactionalId(), leader, error, tp);
                    p.finished.set(true);
                    return false;
                }
                default -> {
                    logRetry(p, leader, error + " for " + tp);
                    retry = true;
                }
            }
        }
        return !retry;
    }

    private void logRetry(Pending p, int leader, String why) {
        if (p.attempts == 1 || p.attempts % 100 == 0) {
            LOGGER.info("Retrying the {} markers of {} (producer id {}) for broker {}: {}", p.result,
                    p.txn.transactionalId(), p.txn.producerId(), leader, why);
        } else {
            LOGGER.debug("Retrying the {} markers of {} for broker {}: {}", p.result, p.txn.transactionalId(), leader,
                    why);
        }
    }

    private void retryLater(Pending p) {
        if (p.shard.isClosed() || p.finished.get()) {
            return;
        }
        try {
            scheduler.schedule(() -> attempt(p), RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down: the next coordinator resends the markers after loading
        }
    }

    private void finish(Pending p) {
        if (p.finished.compareAndSet(false, true)) {
            p.onWritten.run();
        }
    }
}
