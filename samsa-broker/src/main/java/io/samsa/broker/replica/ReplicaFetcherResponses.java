package io.samsa.broker.replica;

import io.samsa.broker.replica.ReplicaFetcherThread.FetchState;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ReplicaFetcherThread} does with its leader's answer for one partition (Kafka's {@code truncate},
 * {@code processPartitionData} and {@code handleOffsetOutOfRange}): cut the local log where the leader's copy of the
 * latest epoch ends (OffsetsForLeaderEpoch, KIP-101/279); append fetched batches as follower, take the leader's high
 * watermark (bounded by the local log end offset) and log start offset, or restart the log at the leader's log start
 * when it fell behind it; back off after a partition error. Each step leaves the partition's next fetch offset, and
 * whether it truncates first, in its {@link FetchState}. The truncations of one round (one response) reach the
 * checkpoint files together, at {@link #checkpointTruncations}: one write per log directory.
 *
 * <p>Not thread-safe: one per fetcher thread, called on that thread only (the only one that mutates its
 * {@link FetchState}s).
 */
final class ReplicaFetcherResponses {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplicaFetcherResponses.class);

    private final int leaderId;
    private final ReplicationSettings settings;
    private final Consumer<TopicPartition> onFollowerHighWatermark;
    /** The logs truncated since the last {@link #checkpointTruncations}. */
    private final List<PartitionLog> truncated = new ArrayList<>();

    /** @param onFollowerHighWatermark told when a fetch response moved a partition's high watermark */
    ReplicaFetcherResponses(int leaderId, ReplicationSettings settings,
                            Consumer<TopicPartition> onFollowerHighWatermark) {
        this.leaderId = leaderId;
        this.settings = settings;
        this.onFollowerHighWatermark = onFollowerHighWatermark;
    }

    // ---- truncation (KIP-101/279) ----

    /** The leader's end offset for the epoch {@code s} asked about: truncate there, or ask again with an older one. */
    void onEpochEndOffset(FetchState s, EpochEndOffset p) {
        PartitionLog log = s.partition.log();
        Errors error = Errors.forCode(p.errorCode());
        if (error != Errors.NONE) {
            delay(s, error);
            return;
        }
        long leo = log.logEndOffset();
        if (p.endOffset() < 0) {
            truncated(s, log.highWatermark(), "the leader has no end offset for the epoch");
        } else if (p.leaderEpoch() < 0) {
            truncated(s, Math.min(p.endOffset(), leo), "leader without epochs");
        } else {
            Optional<io.samsa.storage.EpochEndOffset> mine = log.endOffsetForEpoch(p.leaderEpoch());
            if (mine.isEmpty()) {
                truncated(s, Math.min(p.endOffset(), leo), "epoch " + p.leaderEpoch() + " older than the local log's");
            } else if (mine.get().leaderEpoch() != p.leaderEpoch()) {
                // the leader never had our epoch: cut to where our older epoch ends and ask again with it
                long target = Math.min(mine.get().endOffset(), leo);
                if (log.truncateTo(target)) {
                    truncated.add(log);
                    LOGGER.info("Truncated {} to {} (leader {} ends epoch {} at {}; asking again)",
                            s.partition.topicPartition(), log.logEndOffset(), leaderId, p.leaderEpoch(), p.endOffset());
                }
                s.fetchOffset = log.logEndOffset();
            } else {
                truncated(s, Math.min(Math.min(p.endOffset(), mine.get().endOffset()), leo),
                        "leader " + leaderId + " ends epoch " + p.leaderEpoch() + " at " + p.endOffset());
            }
        }
    }

    /** Truncates the log of {@code s} to {@code target} and ends its truncation: it fetches from its new end. */
    void truncated(FetchState s, long target, String why) {
        PartitionLog log = s.partition.log();
        if (log.truncateTo(target)) {
            truncated.add(log);
            LOGGER.info("Truncated {} to offset {} ({})", s.partition.topicPartition(), log.logEndOffset(), why);
        }
        s.fetchOffset = log.logEndOffset();
        s.truncating = false;
    }

    /**
     * Ends a round (a response handled, or a request that failed): makes the truncations since the last call durable
     * in the checkpoint files ({@link PartitionLog#checkpointTruncation}), one write per log directory however many
     * of its logs were truncated (Kafka's {@code LogManager.truncateTo}). Call it before the next round appends; an
     * append would otherwise do it first. Blocks for the writes (an fsync each); failures are reported by the storage.
     */
    void checkpointTruncations() {
        for (PartitionLog log : truncated) {
            log.checkpointTruncation();
        }
        truncated.clear();
    }

    // ---- fetching ----

    /** One partition of a fetch response: its data appended, the leader's high watermark and log start taken. */
    void onFetched(FetchState s, FetchResponseData.PartitionData p) {
        Errors error = Errors.forCode(p.errorCode());
        PartitionLog log = s.partition.log();
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
            if (p.logStartOffset() > s.fetchOffset) {
                LOGGER.info("{} is behind the leader's log start offset {}: starting the log there",
                        s.partition.topicPartition(), p.logStartOffset());
                log.truncateFullyAndStartAt(p.logStartOffset());
                truncated.add(log);
                s.fetchOffset = p.logStartOffset();
            } else {
                s.truncating = true;
            }
            return;
        }
        if (error != Errors.NONE) {
            delay(s, error);
            return;
        }
        try {
            Records records = FetchResponse.recordsOrFail(p);
            if (records.sizeInBytes() > 0) {
                LogAppendInfo info = s.partition.appendAsFollower((MemoryRecords) records, s.leaderEpoch);
                if (info == null) {
                    return; // leadership moved meanwhile; the metadata re-adds or removes the partition
                }
                if (info.awaitFlush()) {
                    log.flushedTo(info.lastOffset() + 1).join(); // durable mode: report only what is on disk
                }
            }
            s.fetchOffset = log.logEndOffset();
            long before = log.highWatermark();
            log.updateHighWatermark(Math.min(p.highWatermark(), log.logEndOffset()));
            if (log.highWatermark() > before) {
                onFollowerHighWatermark.accept(s.partition.topicPartition());
            }
            followLogStartOffset(s, p.logStartOffset());
        } catch (RuntimeException e) {
            LOGGER.warn("Appending fetched data to {} failed: {} (truncating and retrying)",
                    s.partition.topicPartition(), e.toString());
            s.truncating = true;
            s.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        }
    }

    /**
     * The leader's log start offset moved up (DeleteRecords, retention): the follower's follows, within its own high
     * watermark (Kafka's {@code maybeIncrementLogStartOffset} on followers), so records deleted on the leader do not
     * come back from a follower that becomes leader.
     */
    private void followLogStartOffset(FetchState s, long leaderLogStartOffset) {
        PartitionLog log = s.partition.log();
        if (leaderLogStartOffset <= log.logStartOffset() || leaderLogStartOffset > log.highWatermark()) {
            return;
        }
        try {
            log.deleteRecordsBefore(leaderLogStartOffset);
        } catch (RuntimeException e) {
            LOGGER.debug("Could not move the log start offset of {} to the leader's {}: {}",
                    s.partition.topicPartition(), leaderLogStartOffset, e.toString());
        }
    }

    private void delay(FetchState s, Errors error) {
        // the leader not knowing the partition, the topic or its new epoch yet, or this follower's metadata lagging,
        // clears up within milliseconds (a new topic, a new leadership)
        long wait = switch (error) {
            case UNKNOWN_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_ID, UNKNOWN_TOPIC_OR_PARTITION ->
                    Math.min(50, settings.fetchBackoffMs());
            default -> settings.fetchBackoffMs();
        };
        LOGGER.debug("Fetch of {} from leader {} got {}: retrying in {} ms", s.partition.topicPartition(), leaderId,
                error, wait);
        s.delayedUntilMs = System.currentTimeMillis() + wait;
    }
}
