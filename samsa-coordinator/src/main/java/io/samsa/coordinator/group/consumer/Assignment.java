package io.samsa.coordinator.group.consumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A set of partitions keyed by topic id (KIP-516): what a member owns, is assigned, or must revoke. Topics with no
 * partition are never stored, so two assignments with the same partitions are {@code equals}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param partitions topic id to partition numbers; unmodifiable, no empty sets
 */
public record Assignment(Map<UUID, Set<Integer>> partitions) {
    /** No partitions. */
    public static final Assignment EMPTY = new Assignment(Map.of());

    public Assignment {
        Map<UUID, Set<Integer>> copy = new HashMap<>();
        partitions.forEach((topic, ps) -> {
            if (!ps.isEmpty()) {
                copy.put(topic, Set.copyOf(ps));
            }
        });
        partitions = Map.copyOf(copy);
    }

    /** An assignment of the given topics' partitions. */
    public static Assignment of(Map<UUID, ? extends Collection<Integer>> partitions) {
        Map<UUID, Set<Integer>> m = new HashMap<>();
        partitions.forEach((t, ps) -> m.put(t, new HashSet<>(ps)));
        return new Assignment(m);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** The partitions of {@code topicId} (empty when none). */
    public Set<Integer> partitions(UUID topicId) {
        return partitions.getOrDefault(topicId, Set.of());
    }

    public boolean contains(UUID topicId, int partition) {
        return partitions(topicId).contains(partition);
    }

    /** The number of partitions over all topics. */
    public int size() {
        int n = 0;
        for (Set<Integer> ps : partitions.values()) {
            n += ps.size();
        }
        return n;
    }

    /** The partitions in this assignment and not in {@code other}. */
    public Assignment minus(Assignment other) {
        Map<UUID, Set<Integer>> m = new HashMap<>();
        partitions.forEach((t, ps) -> {
            Set<Integer> left = new HashSet<>(ps);
            left.removeAll(other.partitions(t));
            m.put(t, left);
        });
        return new Assignment(m);
    }

    /** The partitions in both. */
    public Assignment intersect(Assignment other) {
        Map<UUID, Set<Integer>> m = new HashMap<>();
        partitions.forEach((t, ps) -> {
            Set<Integer> both = new HashSet<>(ps);
            both.retainAll(other.partitions(t));
            m.put(t, both);
        });
        return new Assignment(m);
    }

    /** The partitions in either. */
    public Assignment union(Assignment other) {
        Map<UUID, Set<Integer>> m = new HashMap<>();
        partitions.forEach((t, ps) -> m.put(t, new HashSet<>(ps)));
        other.partitions.forEach((t, ps) -> m.computeIfAbsent(t, k -> new HashSet<>()).addAll(ps));
        return new Assignment(m);
    }

    /** True when some partition is in both. */
    public boolean overlaps(Assignment other) {
        for (Map.Entry<UUID, Set<Integer>> e : partitions.entrySet()) {
            Set<Integer> theirs = other.partitions(e.getKey());
            for (int p : e.getValue()) {
                if (theirs.contains(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when every partition of this one is in {@code other}. */
    public boolean isSubsetOf(Assignment other) {
        return minus(other).isEmpty();
    }

    @Override
    public String toString() {
        Map<UUID, Set<Integer>> sorted = new TreeMap<>();
        partitions.forEach((t, ps) -> sorted.put(t, new TreeSet<>(ps)));
        return sorted.toString();
    }
}
