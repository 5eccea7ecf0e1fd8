package io.samsa.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets of the groups of one shard: group → partition → {@link CommittedOffset}. Changed only by
 * replaying {@code OffsetCommit} records (after they are appended, or while loading).
 *
 * <p>Not thread-safe: owned by its shard, used on the shard's serial executor.
 */
public final class OffsetStore {
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    /** The log order (see {@link PendingTransactions}) of each offset, for the commit-versus-transaction rule. */
    private final Map<String, Map<TopicPartition, Long>> orders = new HashMap<>();

    /** The committed offset, or null. */
    public CommittedOffset get(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        return group == null ? null : group.get(tp);
    }

    /** Every committed offset of a group, ordered by topic then partition (empty when none). */
    public Map<TopicPartition, CommittedOffset> all(String groupId) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        if (group == null) {
            return Map.of();
        }
        TreeMap<TopicPartition, CommittedOffset> sorted = new TreeMap<>(
                (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()));
        sorted.putAll(group);
        return sorted;
    }

    public boolean hasOffsets(String groupId) {
        return offsets.containsKey(groupId);
    }

    /**
     * Stores an offset.
     *
     * @param order the place of its record in the partition's log (replay order): higher is later
     */
    public void put(String groupId, TopicPartition tp, CommittedOffset offset, long order) {
        offsets.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, offset);
        orders.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, order);
    }

    /** The log order of the stored offset, or -1 when there is none. */
    public long order(String groupId, TopicPartition tp) {
        Map<TopicPartition, Long> group = orders.get(groupId);
        Long order = group == null ? null : group.get(tp);
        return order == null ? -1 : order;
    }

    public void remove(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        if (group != null) {
            group.remove(tp);
            orders.get(groupId).remove(tp);
            if (group.isEmpty()) {
                offsets.remove(groupId);
                orders.remove(groupId);
            }
        }
    }

    public void removeGroup(String groupId) {
        offsets.remove(groupId);
        orders.remove(groupId);
    }

    /** The groups with at least one committed offset. */
    public Set<String> groupIds() {
        return Set.copyOf(offsets.keySet());
    }

    /** Every (group, partition) with an offset for {@code topic}: deleted topics get tombstones. */
    public List<Map.Entry<String, TopicPartition>> partitionsOf(Set<String> topics) {
        List<Map.Entry<String, TopicPartition>> out = new ArrayList<>();
        offsets.forEach((group, byTp) -> byTp.keySet().stream().filter(tp -> topics.contains(tp.topic()))
                .forEach(tp -> out.add(Map.entry(group, tp))));
        return out;
    }

    /** The number of committed offsets held (all groups). */
    public int size() {
        return offsets.values().stream().mapToInt(Map::size).sum();
    }
}
