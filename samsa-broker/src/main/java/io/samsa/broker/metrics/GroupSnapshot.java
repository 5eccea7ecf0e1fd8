package io.samsa.broker.metrics;

import io.samsa.coordinator.group.CommittedOffset;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.GroupCoordinatorShard;
import io.samsa.coordinator.group.classic.ClassicGroup;
import io.samsa.coordinator.group.consumer.ConsumerGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the group coordinator holds, read on scrape: groups per state, committed offsets, rebalances (the sum of the
 * classic groups' generations and the consumer groups' epochs). Each loaded shard is read on its own serial executor
 * (the groups' owner), so the snapshot is consistent per shard; a shard that does not answer in time is left out.
 *
 * @param groupsByState groups per state name ("Stable", "Empty", ...)
 * @param offsets       committed offsets per group and partition
 * @param rebalances    generations/epochs summed over the groups
 */
record GroupSnapshot(Map<String, Integer> groupsByState, List<Offset> offsets, long rebalances) {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupSnapshot.class);
    private static final long SHARD_TIMEOUT_MS = 2_000;

    static final GroupSnapshot EMPTY = new GroupSnapshot(Map.of(), List.of(), 0);

    /** One committed offset. */
    record Offset(String group, TopicPartition tp, long offset) {
    }

    int groups() {
        return groupsByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Reads every loaded shard of {@code coordinator} (null: empty). Blocks the caller up to 2 s per shard. */
    static GroupSnapshot of(GroupCoordinator coordinator) {
        if (coordinator == null) {
            return EMPTY;
        }
        List<CompletableFuture<GroupSnapshot>> parts = new ArrayList<>();
        for (GroupCoordinator.ShardHandle h : coordinator.shards()) {
            if (h.shard().isLoaded()) {
                parts.add(h.shard().call(() -> ofShard(h.shard())));
            }
        }
        Map<String, Integer> states = new HashMap<>();
        List<Offset> offsets = new ArrayList<>();
        long rebalances = 0;
        for (CompletableFuture<GroupSnapshot> part : parts) {
            try {
                GroupSnapshot s = part.get(SHARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                s.groupsByState.forEach((state, n) -> states.merge(state, n, Integer::sum));
                offsets.addAll(s.offsets);
                rebalances += s.rebalances;
            } catch (Exception e) {
                LOGGER.debug("A group coordinator shard did not answer the metrics scrape: {}", e.toString());
            }
        }
        return new GroupSnapshot(states, offsets, rebalances);
    }

    /** On the shard's executor. */
    private static GroupSnapshot ofShard(GroupCoordinatorShard shard) {
        Map<String, Integer> states = new HashMap<>();
        long rebalances = 0;
        for (Group g : shard.groups()) {
            states.merge(g.stateName(), 1, Integer::sum);
            if (g instanceof ClassicGroup classic) {
                rebalances += Math.max(0, classic.generationId());
            } else if (g instanceof ConsumerGroup consumer) {
                rebalances += Math.max(0, consumer.groupEpoch());
            }
        }
        List<Offset> offsets = new ArrayList<>();
        for (String group : shard.offsets().groupIds()) {
            for (Map.Entry<TopicPartition, CommittedOffset> e : shard.offsets().all(group).entrySet()) {
                offsets.add(new Offset(group, e.getKey(), e.getValue().offset()));
            }
        }
        return new GroupSnapshot(states, offsets, rebalances);
    }
}
