package io.samsa.console;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A group's committed offsets, the partitions' end offsets and the lag (end - committed, never negative) per partition,
 * as {@code kafka-consumer-groups --describe} computes it: OffsetFetch for the group, ListOffsets (latest) for the
 * partitions. Partitions assigned but without a commit have a committed offset of -1 and no lag.
 *
 * @param committed committed offset per partition (-1: none)
 * @param end       end offset (high watermark) per partition (-1: unknown)
 */
record GroupLag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
    GroupLag {
        committed = Map.copyOf(committed);
        end = Map.copyOf(end);
    }

    /** Fetches the group's offsets and the end offsets of its committed and {@code assigned} partitions. */
    static GroupLag fetch(Admin admin, String groupId, Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = Cluster.get(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, om) -> committed.put(tp, om == null ? -1L : om.offset()));
        assigned.forEach(tp -> committed.putIfAbsent(tp, -1L));
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        committed.keySet().forEach(tp -> query.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        if (!query.isEmpty()) {
            Map<TopicPartition, ListOffsetsResultInfo> infos = Cluster.get(admin.listOffsets(query).all());
            infos.forEach((tp, info) -> end.put(tp, info.offset()));
        }
        return new GroupLag(committed, end);
    }

    /** Lag per partition, ordered by topic and partition; partitions without a commit or end offset are left out. */
    Map<TopicPartition, Long> lag() {
        Map<TopicPartition, Long> lag = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        committed.forEach((tp, c) -> {
            Long e = end.get(tp);
            if (c >= 0 && e != null && e >= 0) {
                lag.put(tp, Math.max(0, e - c));
            }
        });
        return lag;
    }

    /** The sum of {@link #lag()}. */
    long total() {
        return lag().values().stream().mapToLong(Long::longValue).sum();
    }
}
