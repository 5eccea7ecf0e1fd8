package io.samsa.coordinator.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The transactional offsets of one shard that wait for their transaction's marker (KIP-98; Kafka's
 * {@code OffsetMetadataManager.pendingTransactionalOffsets} and {@code openTransactionsByGroup}): producer id → group →
 * partition → offset. A COMMIT marker moves a producer's offsets to the {@link OffsetStore} (each unless a later
 * commit of the partition is already there), an ABORT drops them; OffsetFetch never returns them, and with
 * {@code RequireStable} answers UNSTABLE_OFFSET_COMMIT for their partitions.
 *
 * <p>Each offset carries its {@code order}: its place in the partition's log (replay order), so that a commit marker
 * keeps whichever of a transactional and a plain commit of the same partition was written last, as Kafka compares
 * record offsets.
 *
 * <p>Not thread-safe: owned by its shard, used on the shard's serial executor.
 */
public final class PendingTransactions {

    /** A pending offset and its place in the log. */
    public record Pending(CommittedOffset offset, long order) {
    }

    private final Map<Long, Map<String, Map<TopicPartition, Pending>>> byProducer = new HashMap<>();
    private final Map<String, Set<Long>> openByGroup = new HashMap<>();

    /** Adds (or replaces) a pending offset of producer {@code producerId}. */
    public void put(long producerId, String groupId, TopicPartition tp, CommittedOffset offset, long order) {
        byProducer.computeIfAbsent(producerId, p -> new HashMap<>())
                .computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, new Pending(offset, order));
        openByGroup.computeIfAbsent(groupId, g -> new HashSet<>()).add(producerId);
    }

    /** True when some open transaction holds an offset of {@code tp} for the group. */
    public boolean has(String groupId, TopicPartition tp) {
        Set<Long> open = openByGroup.get(groupId);
        if (open == null) {
            return false;
        }
        for (long producerId : open) {
            Map<TopicPartition, Pending> offsets = byProducer.getOrDefault(producerId, Map.of()).get(groupId);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /** True when a transaction that committed offsets for the group is still open. */
    public boolean hasOpenTransactions(String groupId) {
        return openByGroup.containsKey(groupId);
    }

    /** The partitions with a pending offset for the group, across its open transactions. */
    public Set<TopicPartition> partitions(String groupId) {
        Set<TopicPartition> out = new HashSet<>();
        for (long producerId : openByGroup.getOrDefault(groupId, Set.of())) {
            out.addAll(byProducer.getOrDefault(producerId, Map.of()).getOrDefault(groupId, Map.of()).keySet());
        }
        return out;
    }

    /** A tombstone of {@code tp} also deletes the pending offsets of the partition (the transactions stay open). */
    public void removePartition(String groupId, TopicPartition tp) {
        for (long producerId : openByGroup.getOrDefault(groupId, Set.of())) {
            Map<TopicPartition, Pending> offsets = byProducer.getOrDefault(producerId, Map.of()).get(groupId);
            if (offsets != null) {
                offsets.remove(tp);
            }
        }
    }

    /**
     * Ends the transaction of {@code producerId}: its offsets leave this store.
     *
     * @return group → partition → pending offset (empty when the producer had none here)
     */
    public Map<String, Map<TopicPartition, Pending>> complete(long producerId) {
        Map<String, Map<TopicPartition, Pending>> offsets = byProducer.remove(producerId);
        if (offsets == null) {
            return Map.of();
        }
        for (String groupId : offsets.keySet()) {
            Set<Long> open = openByGroup.get(groupId);
            if (open != null) {
                open.remove(producerId);
                if (open.isEmpty()) {
                    openByGroup.remove(groupId);
                }
            }
        }
        return offsets;
    }

    /** Calls {@code action} with (group, partition) for every pending offset whose topic is in {@code topics}. */
    public void forEachOfTopics(Set<String> topics, BiConsumer<String, TopicPartition> action) {
        byProducer.values().forEach(groups -> groups.forEach((groupId, offsets) -> offsets.keySet().stream()
                .filter(tp -> topics.contains(tp.topic())).forEach(tp -> action.accept(groupId, tp))));
    }

    /** The producer ids with an open transaction holding offsets of this shard. */
    public List<Long> producerIds() {
        return List.copyOf(byProducer.keySet());
    }

    /** The number of pending offsets (all producers). */
    public int size() {
        int n = 0;
        for (Map<String, Map<TopicPartition, Pending>> groups : byProducer.values()) {
            for (Map<TopicPartition, Pending> offsets : groups.values()) {
                n += offsets.size();
            }
        }
        return n;
    }
}
