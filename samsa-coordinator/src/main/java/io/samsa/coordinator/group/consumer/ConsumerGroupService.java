package io.samsa.coordinator.group.consumer;

import io.samsa.coordinator.runtime.CoordinatorTimer;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupCoordinatorShard;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import io.samsa.coordinator.group.record.RecordType;
import io.samsa.metadata.ClusterImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs KIP-848 consumer groups on the group coordinator's shards: heartbeats (append the records, then replay them),
 * session and revocation timers, and the replay of the consumer-group records while a shard loads.
 *
 * <p>Groups: a heartbeat with epoch 0 creates the group, or takes over an <em>empty</em> classic group of the same id
 * (its metadata is tombstoned; committed offsets stay). A classic group with members answers GROUP_ID_NOT_FOUND:
 * mixed classic/consumer groups (Kafka's online upgrade) are not supported.
 *
 * <p>Timers: a member that does not heartbeat for {@code group.consumer.session.timeout.ms} is removed; a member that
 * keeps partitions it must revoke for longer than its rebalance timeout ({@code max.poll.interval.ms}) is removed.
 * After a load every member gets a fresh session timer.
 *
 * <p>Thread-safe: the methods that take a shard run on that shard's serial executor.
 */
public final class ConsumerGroupService {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerGroupService.class);

    private final HeartbeatLogic logic;
    private final Supplier<ClusterImage> image;
    private final Map<String, Integer> revocationEpochs = new ConcurrentHashMap<>();

    public ConsumerGroupService(ConsumerGroupSettings settings, Supplier<ClusterImage> image) {
        this.logic = new HeartbeatLogic(settings);
        this.image = image;
    }

    public ConsumerGroupSettings settings() {
        return logic.settings();
    }

    /** The replayers of the KIP-848 record types, for {@link GroupCoordinatorShard}'s constructor. */
    public Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers() {
        Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> m = new EnumMap<>(RecordType.class);
        for (RecordType t : RecordType.values()) {
            if (t.isConsumerGroupRecord()) {
                m.put(t, this::replay);
            }
        }
        return m;
    }

    private void replay(GroupCoordinatorShard shard, CoordinatorRecord.Raw raw) {
        ConsumerGroupRecord record = ConsumerGroupRecordCodec.decode(raw);
        if (record == null) {
            return;
        }
        if (record instanceof ConsumerGroupRecord.GroupEpoch g && g.value() == null) {
            if (shard.group(g.groupId()) instanceof ConsumerGroup) {
                shard.removeGroup(g.groupId());
            }
            return;
        }
        ConsumerGroup group = shard.group(record.groupId()) instanceof ConsumerGroup cg ? cg : null;
        if (group == null) {
            group = new ConsumerGroup(record.groupId());
            shard.putGroup(group);
        }
        group.replay(record, shard.timer().nowMs());
        String member = switch (record) {
            case ConsumerGroupRecord.MemberMetadata r -> r.value() == null ? null : r.memberId();
            case ConsumerGroupRecord.CurrentAssignment r -> r.value() == null ? null : r.memberId();
            default -> null;
        };
        if (member != null && group.member(member) != null
                && !shard.timer().isScheduled(sessionKey(group.groupId(), member))) {
            scheduleSession(shard, group.groupId(), member);
        }
    }

    /**
     * Serves one ConsumerGroupHeartbeat on the shard of its group (shard executor only). The request was validated.
     *
     * @throws org.apache.kafka.common.errors.ApiException the heartbeat's error; nothing was appended or changed
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(GroupCoordinatorShard shard,
                                                        ConsumerGroupHeartbeatRequestData request, String clientId,
                                                        String clientHost) {
        return heartbeat(shard, request, clientId, clientHost, Subscriptions.ALL_TOPICS);
    }

    /**
     * As {@link #heartbeat(GroupCoordinatorShard, ConsumerGroupHeartbeatRequestData, String, String)}, with the
     * topics a regex subscription may resolve to (the heartbeating principal's DESCRIBE check; called on the shard's
     * executor, so it must not block). The group keeps it for the resolutions that follow without a heartbeat.
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(GroupCoordinatorShard shard,
                                                        ConsumerGroupHeartbeatRequestData request, String clientId,
                                                        String clientHost, Predicate<String> regexTopicFilter) {
        String groupId = request.groupId();
        int epoch = request.memberEpoch();
        boolean leaving = epoch < 0;
        List<CoordinatorRecord> records = new ArrayList<>();
        Group existing = shard.group(groupId);
        ConsumerGroup group;
        if (existing instanceof ConsumerGroup cg) {
            group = cg;
        } else if (existing == null && epoch == 0) {
            group = new ConsumerGroup(groupId);
        } else if (existing == null) {
            throw new GroupIdNotFoundException("Consumer group " + groupId + " not found.");
        } else if (epoch == 0 && existing.isEmpty()) {
            records.add(GroupMetadataRecord.tombstone(groupId));
            group = new ConsumerGroup(groupId);
        } else {
            throw new GroupIdNotFoundException("Group " + groupId + " is not a consumer group.");
        }
        ClusterImage current = image.get();
        HeartbeatLogic.Outcome outcome = leaving ? logic.leave(group, request, current)
                : logic.heartbeat(group, request, clientId, clientHost, current, regexTopicFilter);
        apply(shard, group, records, outcome.records());
        if (!leaving && shard.group(groupId) instanceof ConsumerGroup live) {
            live.regexTopicFilter(regexTopicFilter);
        }
        CoordinatorTimer timer = shard.timer();
        if (outcome.left()) {
            timer.cancel(sessionKey(groupId, outcome.memberId()));
            cancelRevocation(timer, groupId, outcome.memberId());
        } else if (!leaving) {
            scheduleSession(shard, groupId, outcome.memberId());
            maybeScheduleRevocation(shard, group, outcome.memberId());
        }
        return outcome.response();
    }

    /** Appends {@code before} and the group's records as one batch, then replays them. */
    private static void apply(GroupCoordinatorShard shard, ConsumerGroup group, List<CoordinatorRecord> before,
                              List<ConsumerGroupRecord> records) {
        if (before.isEmpty() && records.isEmpty()) {
            return;
        }
        List<CoordinatorRecord> batch = new ArrayList<>(before);
        records.forEach(r -> batch.add(ConsumerGroupRecordCodec.encode(r)));
        shard.append(batch);
        before.forEach(shard::replay);
        if (shard.group(group.groupId()) != group) {
            shard.putGroup(group);
        }
        long now = shard.timer().nowMs();
        records.forEach(r -> group.replay(r, now));
    }

    private void scheduleSession(GroupCoordinatorShard shard, String groupId, String memberId) {
        shard.timer().schedule(sessionKey(groupId, memberId), logic.settings().sessionTimeoutMs(),
                () -> fence(shard, groupId, memberId, -1, "its session expired"));
    }

    private void maybeScheduleRevocation(GroupCoordinatorShard shard, ConsumerGroup group, String memberId) {
        ConsumerGroupMember m = group.member(memberId);
        String key = revocationKey(group.groupId(), memberId);
        if (m == null || m.state() != MemberState.UNREVOKED_PARTITIONS) {
            cancelRevocation(shard.timer(), group.groupId(), memberId);
            return;
        }
        Integer scheduled = revocationEpochs.get(key);
        if (scheduled == null || scheduled != m.memberEpoch()) {
            revocationEpochs.put(key, m.memberEpoch());
            int epoch = m.memberEpoch();
            shard.timer().schedule(key, Math.max(1, m.rebalanceTimeoutMs()),
                    () -> fence(shard, group.groupId(), memberId, epoch, "it did not revoke its partitions in time"));
        }
    }

    private void cancelRevocation(CoordinatorTimer timer, String groupId, String memberId) {
        String key = revocationKey(groupId, memberId);
        revocationEpochs.remove(key);
        timer.cancel(key);
    }

    /** Removes a member (timer action, shard executor); {@code revokingEpoch} &ge; 0 only if still revoking at it. */
    private void fence(GroupCoordinatorShard shard, String groupId, String memberId, int revokingEpoch,
                       String why) {
        if (!shard.isLoaded() || !(shard.group(groupId) instanceof ConsumerGroup group)) {
            return;
        }
        ConsumerGroupMember m = group.member(memberId);
        if (m == null || (revokingEpoch >= 0 && (m.state() != MemberState.UNREVOKED_PARTITIONS
                || m.memberEpoch() != revokingEpoch))) {
            return;
        }
        try {
            apply(shard, group, List.of(), logic.fence(group, memberId, image.get()));
            shard.timer().cancel(sessionKey(groupId, memberId));
            cancelRevocation(shard.timer(), groupId, memberId);
            LOGGER.info("Removed member {} from consumer group {} because {}", memberId, groupId, why);
        } catch (RuntimeException e) {
            LOGGER.warn("Could not remove member {} from consumer group {}: {}", memberId, groupId, e.toString());
            scheduleSession(shard, groupId, memberId);
        }
    }

    private static String sessionKey(String groupId, String memberId) {
        return "consumer-session/" + groupId + "/" + memberId;
    }

    private static String revocationKey(String groupId, String memberId) {
        return "consumer-revocation/" + groupId + "/" + memberId;
    }
}
