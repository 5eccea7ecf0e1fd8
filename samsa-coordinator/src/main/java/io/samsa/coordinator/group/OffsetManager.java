package io.samsa.coordinator.group;

import io.samsa.coordinator.group.classic.ClassicGroup;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import io.samsa.coordinator.group.record.OffsetCommitRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets of one shard (Kafka's {@code OffsetMetadataManager}): OffsetCommit and TxnOffsetCommit validated
 * by the group ({@link Group#validateOffsetCommit}), OffsetFetch (with {@code RequireStable}), OffsetDelete,
 * DeleteGroups and offset expiry. Every change is an {@code OffsetCommit} record (a tombstone deletes), appended and
 * then replayed into the {@link OffsetStore}, or, for TxnOffsetCommit, into the {@link PendingTransactions} until the
 * transaction ends. Pending transactional offsets are deleted with their group or topic, and keep the committed
 * offset of their partition (and their group) from expiring, as in Kafka.
 *
 * <p>Not thread-safe: runs on the shard's serial executor.
 */
public final class OffsetManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(OffsetManager.class);

    /**
     * One offset to commit.
     *
     * @param expireTimestampMs explicit expiry (OffsetCommit v2-4 retention time), -1 for the broker's retention
     */
    public record OffsetToCommit(TopicPartition tp, long offset, int leaderEpoch, String metadata,
                                 long expireTimestampMs) {
    }

    private final GroupCoordinatorShard shard;

    public OffsetManager(GroupCoordinatorShard shard) {
        this.shard = shard;
    }

    /**
     * Commits offsets for a group. A simple commit (generation &lt; 0) to an unknown group creates it empty (a
     * "simple" classic group); a member commit to an unknown group fails with GROUP_ID_NOT_FOUND (v9+) or
     * ILLEGAL_GENERATION.
     *
     * @return the error of each partition (NONE when committed; OFFSET_METADATA_TOO_LARGE per partition)
     * @throws org.apache.kafka.common.errors.ApiException a group-level error, for every partition
     */
    public Map<TopicPartition, Errors> commit(String groupId, String memberId, String groupInstanceId,
                                              int generationOrEpoch, short apiVersion,
                                              List<OffsetToCommit> offsets) {
        Group group = shard.group(groupId);
        boolean created = false;
        if (group == null) {
            if (generationOrEpoch >= 0) {
                throw apiVersion >= 9 ? new GroupIdNotFoundException("Group " + groupId + " does not exist")
                        : new IllegalGenerationException("Group " + groupId + " does not exist");
            }
            group = new ClassicGroup(groupId, shard.timer().nowMs());
            created = true;
        }
        group.validateOffsetCommit(memberId, groupInstanceId, generationOrEpoch, false, apiVersion);
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        List<CoordinatorRecord> records = toRecords(groupId, offsets, result);
        if (records.isEmpty()) {
            return result;
        }
        shard.appendAndReplay(records);
        if (created && shard.group(groupId) == null) {
            shard.putGroup(group);
        }
        return result;
    }

    /**
     * TxnOffsetCommit (KIP-98; member fields v3+, KIP-447): writes the offsets as one transactional batch of
     * {@code producerId}; they stay pending, invisible to OffsetFetch, until the transaction's COMMIT marker
     * ({@link GroupCoordinatorShard#replayEndTransaction}). The group checks are Kafka's: an unknown group is created
     * as a simple group for generation &lt; 0, else ILLEGAL_GENERATION; a KIP-848 member's stale epoch is
     * ILLEGAL_GENERATION too.
     *
     * @return the error of each partition (NONE, or OFFSET_METADATA_TOO_LARGE)
     * @throws org.apache.kafka.common.errors.ApiException a group-level error, for every partition
     */
    public Map<TopicPartition, Errors> commitTransactional(String groupId, String memberId, String groupInstanceId,
                                                           int generationId, short apiVersion, long producerId,
                                                           short producerEpoch, List<OffsetToCommit> offsets) {
        Group group = shard.group(groupId);
        boolean created = false;
        if (group == null) {
            if (generationId >= 0) {
                throw new IllegalGenerationException("Group " + groupId + " does not exist");
            }
            group = new ClassicGroup(groupId, shard.timer().nowMs());
            created = true;
        }
        try {
            group.validateOffsetCommit(memberId, groupInstanceId, generationId, true, apiVersion);
        } catch (StaleMemberEpochException e) {
            throw new IllegalGenerationException(e.getMessage());
        }
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        List<CoordinatorRecord> records = toRecords(groupId, offsets, result);
        if (records.isEmpty()) {
            return result;
        }
        shard.appendTransactionalAndReplay(records, producerId, producerEpoch);
        if (created && shard.group(groupId) == null) {
            shard.putGroup(group);
        }
        return result;
    }

    private List<CoordinatorRecord> toRecords(String groupId, List<OffsetToCommit> offsets,
                                              Map<TopicPartition, Errors> result) {
        long now = shard.timer().nowMs();
        List<CoordinatorRecord> records = new ArrayList<>();
        for (OffsetToCommit o : offsets) {
            String metadata = o.metadata() == null ? "" : o.metadata();
            if (metadata.length() > shard.config().offsetMetadataMaxBytes()) {
                result.put(o.tp(), Errors.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            result.put(o.tp(), Errors.NONE);
            records.add(new OffsetCommitRecord(groupId, o.tp().topic(), o.tp().partition(),
                    new OffsetCommitRecord.Value(o.offset(), o.leaderEpoch(), metadata, now, o.expireTimestampMs())));
        }
        return records;
    }

    /**
     * What OffsetFetch answers for a group.
     *
     * @param offsets  the committed offsets found (partitions without one are absent)
     * @param unstable with {@code RequireStable}: the partitions with a pending transactional offset, answered
     *                 UNSTABLE_OFFSET_COMMIT (and left out of {@code offsets})
     */
    public record Fetched(Map<TopicPartition, CommittedOffset> offsets, Set<TopicPartition> unstable) {
    }

    /**
     * OffsetFetch (v7+ {@code RequireStable}, KIP-447): like {@link #fetch(String, String, int, List)}; with
     * {@code requireStable}, a partition with a pending transactional offset is reported unstable instead of its
     * committed offset, so that the consumer retries once the transaction ends.
     */
    public Fetched fetch(String groupId, String memberId, int memberEpoch, List<TopicPartition> partitions,
                         boolean requireStable) {
        Map<TopicPartition, CommittedOffset> offsets = fetch(groupId, memberId, memberEpoch, partitions);
        if (!requireStable || !shard.pendingTransactions().hasOpenTransactions(groupId)) {
            return new Fetched(offsets, Set.of());
        }
        Set<TopicPartition> unstable = new HashSet<>();
        Iterable<TopicPartition> candidates = partitions == null ? offsets.keySet() : partitions;
        for (TopicPartition tp : candidates) {
            if (shard.pendingTransactions().has(groupId, tp)) {
                unstable.add(tp);
            }
        }
        if (unstable.isEmpty()) {
            return new Fetched(offsets, Set.of());
        }
        Map<TopicPartition, CommittedOffset> stable = new LinkedHashMap<>(offsets);
        stable.keySet().removeAll(unstable);
        return new Fetched(stable, unstable);
    }

    /**
     * The committed offsets of a group: every partition's when {@code partitions} is null, else the requested ones
     * (absent ones are left out: the caller answers -1 for them).
     */
    public Map<TopicPartition, CommittedOffset> fetch(String groupId, String memberId, int memberEpoch,
                                                      List<TopicPartition> partitions) {
        Group group = shard.group(groupId);
        if (group != null) {
            group.validateOffsetFetch(memberId, memberEpoch);
        }
        if (partitions == null) {
            return shard.offsets().all(groupId);
        }
        Map<TopicPartition, CommittedOffset> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            CommittedOffset o = shard.offsets().get(groupId, tp);
            if (o != null) {
                out.put(tp, o);
            }
        }
        return out;
    }

    /**
     * OffsetDelete: deletes the group's offsets of partitions whose topic no member subscribes to.
     *
     * @return per partition NONE or GROUP_SUBSCRIBED_TO_TOPIC
     * @throws org.apache.kafka.common.errors.ApiException GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP
     */
    public Map<TopicPartition, Errors> deleteOffsets(String groupId, List<TopicPartition> partitions) {
        Group group = shard.group(groupId);
        if (group == null) {
            throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
        }
        group.validateOffsetDelete();
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (group.isSubscribedToTopic(tp.topic())) {
                result.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                result.put(tp, Errors.NONE);
                if (shard.offsets().get(groupId, tp) != null || shard.pendingTransactions().has(groupId, tp)) {
                    tombstones.add(OffsetCommitRecord.tombstone(groupId, tp.topic(), tp.partition()));
                }
            }
        }
        shard.appendAndReplay(tombstones);
        return result;
    }

    /**
     * DeleteGroups for one group: tombstones for its offsets and its metadata, then the group is gone.
     *
     * @throws org.apache.kafka.common.errors.ApiException GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP
     */
    public void deleteGroup(String groupId) {
        Group group = shard.group(groupId);
        if (group == null) {
            throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
        }
        group.validateDeleteGroup();
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        Set<TopicPartition> partitions = new HashSet<>(shard.offsets().all(groupId).keySet());
        partitions.addAll(shard.pendingTransactions().partitions(groupId)); // Kafka tombstones pending offsets too
        partitions.forEach(tp -> tombstones.add(OffsetCommitRecord.tombstone(groupId, tp.topic(), tp.partition())));
        tombstones.add(GroupMetadataRecord.tombstone(groupId));
        if (group instanceof io.samsa.coordinator.group.consumer.ConsumerGroup consumerGroup) {
            tombstones.addAll(consumerGroup.tombstoneRecords());
        }
        shard.append(tombstones);
        tombstones.forEach(shard::replay);
        shard.removeGroup(groupId);
    }

    /**
     * Expires offsets (Kafka's offset retention): an offset with an explicit expiry expires then; otherwise offsets
     * of an empty group expire {@code offsets.retention.minutes} after the later of their commit and the moment the
     * group became empty; a Stable consumer group's offsets of topics no member subscribes to expire that long after
     * their commit. An empty classic group left without offsets is deleted.
     *
     * @return the number of offsets expired
     */
    public int expire() {
        long now = shard.timer().nowMs();
        long retention = shard.config().offsetsRetentionMs();
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        List<String> emptiedGroups = new ArrayList<>();
        for (String groupId : shard.offsets().groupIds()) {
            Group group = shard.group(groupId);
            OptionalLong emptySince = group == null ? OptionalLong.of(0) : group.emptySinceMs();
            Map<TopicPartition, CommittedOffset> all = shard.offsets().all(groupId);
            int expired = 0;
            for (Map.Entry<TopicPartition, CommittedOffset> e : all.entrySet()) {
                CommittedOffset o = e.getValue();
                boolean expire;
                if (o.expireTimestampMs() >= 0) {
                    expire = now >= o.expireTimestampMs();
                } else if (emptySince.isPresent()) {
                    expire = now - Math.max(o.commitTimestampMs(), emptySince.getAsLong()) >= retention;
                } else {
                    expire = group != null && "consumer".equals(group.protocolType())
                            && "Stable".equals(group.stateName()) && !group.isSubscribedToTopic(e.getKey().topic())
                            && now - o.commitTimestampMs() >= retention;
                }
                if (expire && shard.pendingTransactions().has(groupId, e.getKey())) {
                    expire = false; // Kafka keeps an offset while a transaction holds a pending one for it
                }
                if (expire) {
                    expired++;
                    tombstones.add(OffsetCommitRecord.tombstone(groupId, e.getKey().topic(), e.getKey().partition()));
                }
            }
            if (expired == all.size() && group instanceof ClassicGroup c && c.isEmpty()
                    && !shard.pendingTransactions().hasOpenTransactions(groupId)) {
                tombstones.add(GroupMetadataRecord.tombstone(groupId));
                emptiedGroups.add(groupId);
            }
        }
        if (tombstones.isEmpty()) {
            return 0;
        }
        shard.append(tombstones);
        tombstones.forEach(shard::replay);
        emptiedGroups.forEach(shard::removeGroup);
        int n = (int) tombstones.stream().filter(r -> r instanceof OffsetCommitRecord).count();
        LOGGER.info("Expired {} offsets and {} empty groups on __consumer_offsets-{}", n, emptiedGroups.size(),
                shard.partition());
        return n;
    }

    /** Tombstones every offset of the deleted topics (Kafka does this when a topic is deleted). */
    public int deleteOffsetsOfTopics(Set<String> topics) {
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        Set<Map.Entry<String, TopicPartition>> partitions = new LinkedHashSet<>(shard.offsets().partitionsOf(topics));
        shard.pendingTransactions().forEachOfTopics(topics, (group, tp) -> partitions.add(Map.entry(group, tp)));
        partitions.forEach(e -> tombstones.add(
                OffsetCommitRecord.tombstone(e.getKey(), e.getValue().topic(), e.getValue().partition())));
        shard.appendAndReplay(tombstones);
        return tombstones.size();
    }
}
