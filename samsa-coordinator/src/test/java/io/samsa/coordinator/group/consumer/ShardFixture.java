package io.samsa.coordinator.group.consumer;

import io.samsa.coordinator.group.GroupConfig;
import io.samsa.coordinator.group.GroupCoordinatorShard;
import io.samsa.coordinator.runtime.CoordinatorWriter;
import io.samsa.coordinator.runtime.ManualTimer;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * A coordinator shard with no broker around it: appends go to a list, timers to a manual clock, requests run on the
 * calling thread. Not thread-safe.
 */
final class ShardFixture {
    final ManualTimer timer = new ManualTimer();
    final List<CoordinatorRecord> log = new ArrayList<>();
    final AtomicReference<ClusterImage> image = new AtomicReference<>(ClusterImage.empty());
    final ConsumerGroupService service;
    final GroupCoordinatorShard shard;

    ShardFixture(ConsumerGroupSettings settings) {
        service = new ConsumerGroupService(settings, image::get);
        shard = newShard();
        shard.markLoaded();
    }

    ShardFixture() {
        this(ConsumerGroupSettings.defaults(45_000, 5_000));
    }

    /** A second shard replaying this one's log (a coordinator restart). */
    GroupCoordinatorShard reload() {
        GroupCoordinatorShard fresh = newShard();
        log.forEach(fresh::replay);
        fresh.markLoaded();
        return fresh;
    }

    private GroupCoordinatorShard newShard() {
        return new GroupCoordinatorShard(0, GroupConfig.defaults(0), new CoordinatorWriter<CoordinatorRecord>() {
            @Override
            public void append(int partition, List<CoordinatorRecord> records) {
                log.addAll(records);
            }

            @Override
            public void appendTransactional(int partition, List<CoordinatorRecord> records, long producerId,
                                            short producerEpoch) {
                log.addAll(records); // TxnOffsetCommit validation tests only: a reload would see them committed
            }
        }, timer, Runnable::run, service.replayers());
    }

    /** Creates (or replaces) a topic with {@code partitions} partitions; returns its id. */
    UUID topic(String name, int partitions) {
        UUID id = image.get().topic(name).map(TopicImage::topicId).orElse(UUID.randomUUID());
        List<PartitionImage> ps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ps.add(new PartitionImage(p, List.of(1), List.of(1), 1, 0, 0));
        }
        ClusterImage old = image.get();
        Map<String, TopicImage> byName = new HashMap<>(old.topics());
        Map<UUID, TopicImage> byId = new HashMap<>(old.topicsById());
        TopicImage t = new TopicImage(name, id, ps);
        byName.put(name, t);
        byId.put(id, t);
        image.set(new ClusterImage("c", 1, 1, old.brokers(), byName, byId, old.configs(), 0, old.appliedIndex() + 1));
        return id;
    }

    void deleteTopic(String name) {
        ClusterImage old = image.get();
        Map<String, TopicImage> byName = new HashMap<>(old.topics());
        TopicImage t = byName.remove(name);
        Map<UUID, TopicImage> byId = new HashMap<>(old.topicsById());
        byId.remove(t.topicId());
        image.set(new ClusterImage("c", 1, 1, old.brokers(), byName, byId, old.configs(), 0, old.appliedIndex() + 1));
    }

    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request) {
        return heartbeat(request, (short) 1);
    }

    /** Validates and runs a heartbeat as the handler does; errors come back as codes. */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, short version) {
        return heartbeat(request, version, Subscriptions.ALL_TOPICS);
    }

    /** As {@link #heartbeat(ConsumerGroupHeartbeatRequestData, short)}; regexes resolve to topics {@code regexTopics} accepts. */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, short version,
                                                 java.util.function.Predicate<String> regexTopics) {
        try {
            HeartbeatValidator.validate(request, version, service.settings().assignors());
            return service.heartbeat(shard, request, "client", "/127.0.0.1", regexTopics);
        } catch (org.apache.kafka.common.errors.ApiException e) {
            return new ConsumerGroupHeartbeatResponseData().setErrorCode(
                    org.apache.kafka.common.protocol.Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }

    ConsumerGroup group(String id) {
        return (ConsumerGroup) shard.group(id);
    }

    static ConsumerGroupHeartbeatRequestData join(String group, String member, String... topics) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
                .setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(List.of(topics))
                .setTopicPartitions(List.of());
    }

    static ConsumerGroupHeartbeatRequestData beat(String group, String member, int epoch, Assignment owned) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch)
                .setTopicPartitions(owned == null ? null : owned(owned));
    }

    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned(Assignment a) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> out = new ArrayList<>();
        a.partitions().forEach((t, ps) -> out.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(new Uuid(t.getMostSignificantBits(), t.getLeastSignificantBits()))
                .setPartitions(new ArrayList<>(ps))));
        return out;
    }

    /** The assignment in a response, or null when the response carries none. */
    static Assignment assignment(ConsumerGroupHeartbeatResponseData r) {
        if (r.assignment() == null) {
            return null;
        }
        Map<UUID, List<Integer>> m = new HashMap<>();
        r.assignment().topicPartitions().forEach(tp -> m.put(
                new UUID(tp.topicId().getMostSignificantBits(), tp.topicId().getLeastSignificantBits()),
                tp.partitions()));
        return Assignment.of(m);
    }
}
