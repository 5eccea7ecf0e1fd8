package io.samsa.coordinator.group.consumer;

import io.samsa.metadata.ClusterImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * One ConsumerGroupHeartbeat (API 68, KIP-848) against one group, as a pure step: reads the group, returns the
 * response and the records to append (Kafka's {@code GroupMetadataManager.consumerGroupHeartbeat}). The caller appends
 * the records and then replays them into the group; nothing here mutates the group.
 *
 * <p>Steps: (1) find or create the member and check its epoch; (2) update its subscription and bump the group epoch
 * when a subscription or the subscribed topics' metadata changed; (3) compute a new target assignment when the group
 * epoch is ahead of it; (4) reconcile the member one step towards its target ({@link Reconciler}).
 *
 * <p>Errors (thrown as Kafka's {@code ApiException}s): UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH,
 * GROUP_MAX_SIZE_REACHED, UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID, INVALID_REGULAR_EXPRESSION; request-shape errors
 * come from {@link HeartbeatValidator} first. Stateless and thread-safe; callers serialize per group.
 */
public final class HeartbeatLogic {
    private final ConsumerGroupSettings settings;

    public HeartbeatLogic(ConsumerGroupSettings settings) {
        this.settings = settings;
    }

    public ConsumerGroupSettings settings() {
        return settings;
    }

    /**
     * The result of one heartbeat.
     *
     * @param response the response to send
     * @param records  the records to append, then replay, in order
     * @param memberId the member's id (generated for a v0 join)
     * @param left     true when the member left or was removed (cancel its timers); false: reset its session timer
     */
    public record Outcome(ConsumerGroupHeartbeatResponseData response, List<ConsumerGroupRecord> records,
                          String memberId, boolean left) {
    }

    /** A joining or heartbeating member (epoch &ge; 0) whose regex may resolve to any topic. */
    public Outcome heartbeat(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, String clientId,
                             String clientHost, ClusterImage image) {
        return heartbeat(group, request, clientId, clientHost, image, Subscriptions.ALL_TOPICS);
    }

    /**
     * A joining or heartbeating member (epoch &ge; 0); leaves go to {@link #leave}. When the group's subscriptions are
     * resolved again, regexes resolve to the matching topics {@code regexTopicFilter} accepts.
     */
    public Outcome heartbeat(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, String clientId,
                             String clientHost, ClusterImage image, Predicate<String> regexTopicFilter) {
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        int epoch = request.memberEpoch();
        if (group.size() >= settings.maxSize() && group.member(memberId) == null) {
            throw new GroupMaxSizeReachedException("The consumer group has reached its maximum capacity of "
                    + settings.maxSize() + " members.");
        }
        List<ConsumerGroupRecord> records = new ArrayList<>();
        ConsumerGroupMember member = findMember(group, memberId, epoch, request.instanceId(), records);
        Assignment owned = request.topicPartitions() == null ? null : owned(request.topicPartitions());
        if (epoch > 0) {
            checkEpoch(member, epoch, owned);
        }
        boolean isNew = group.member(member.memberId()) == null;
        String replaced = memberIdToReplace(group, member);

        String regex = request.subscribedTopicRegex() == null ? member.subscribedTopicRegex()
                : request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
        if (regex != null && !regex.equals(member.subscribedTopicRegex())) {
            Subscriptions.compile(regex);
        }
        ConsumerGroupMember updated = member.withMetadata(
                request.instanceId() != null ? request.instanceId() : member.instanceId(),
                request.rackId() != null ? request.rackId() : member.rackId(), clientId, clientHost,
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : member.rebalanceTimeoutMs(),
                request.subscribedTopicNames() != null ? request.subscribedTopicNames()
                        : member.subscribedTopicNames(),
                regex, request.serverAssignor() != null ? request.serverAssignor() : member.serverAssignor());
        boolean metadataChanged = isNew || !sameMetadata(member, updated);
        if (metadataChanged) {
            records.add(memberMetadata(group.groupId(), updated));
        }
        boolean subscriptionChanged = (isNew && replaced == null) || updated.subscriptionDiffers(member);

        Map<String, ConsumerGroupMember> all = new HashMap<>();
        group.members().forEach(m -> all.put(m.memberId(), m));
        all.remove(replaced);
        all.put(updated.memberId(), updated);
        Subscriptions.Resolved resolved = group.resolved();
        if (subscriptionChanged || resolved == null || resolved.image() != image) {
            resolved = Subscriptions.resolve(all.values(), image, regexTopicFilter);
            if (!subscriptionChanged && !metadataChanged) {
                group.resolved(resolved);
            }
        }
        int groupEpoch = group.groupEpoch();
        if (subscriptionChanged || resolved.metadataHash() != group.metadataHash()) {
            groupEpoch++;
            records.add(new ConsumerGroupRecord.GroupEpoch(group.groupId(),
                    new ConsumerGroupRecord.GroupEpoch.Value(groupEpoch, resolved.metadataHash())));
        }

        int targetEpoch = group.assignmentEpoch();
        Assignment target;
        if (groupEpoch > targetEpoch) {
            Map<String, Assignment> previous = replaced == null ? Map.of()
                    : Map.of(updated.memberId(), group.target(replaced));
            target = TargetAssignments.compute(group, all, previous, resolved, settings, groupEpoch, records)
                    .get(updated.memberId());
            targetEpoch = groupEpoch;
        } else {
            target = group.target(replaced != null ? replaced : updated.memberId());
        }

        ConsumerGroupMember reconciled = Reconciler.reconcile(updated, targetEpoch, target, group::partitionEpoch,
                owned);
        if (isNew || !sameAssignment(member, reconciled)) {
            records.add(currentAssignment(group.groupId(), reconciled));
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(reconciled.memberId())
                .setMemberEpoch(reconciled.memberEpoch())
                .setHeartbeatIntervalMs(settings.heartbeatIntervalMs());
        boolean fullRequest = epoch == 0 || (request.rebalanceTimeoutMs() != -1
                && request.subscribedTopicNames() != null && request.topicPartitions() != null);
        if (fullRequest || !reconciled.assigned().equals(member.assigned())) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(toResponse(reconciled.assigned())));
        }
        return new Outcome(response, records, reconciled.memberId(), false);
    }

    /**
     * A leave: epoch -1 removes the member (a static member too); -2 keeps a static member's partitions for its
     * session timeout so that it can rejoin with the same instance id.
     */
    public Outcome leave(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, ClusterImage image) {
        ConsumerGroupMember member;
        if (request.instanceId() == null) {
            member = group.member(request.memberId());
            if (member == null) {
                throw new UnknownMemberIdException("Member " + request.memberId() + " is not a member of group "
                        + group.groupId() + ".");
            }
        } else {
            String id = group.staticMemberId(request.instanceId());
            if (id == null) {
                throw new UnknownMemberIdException("Instance id " + request.instanceId() + " is unknown.");
            }
            if (!id.equals(request.memberId())) {
                throw new FencedInstanceIdException("Static member " + request.memberId() + " with instance id "
                        + request.instanceId() + " was fenced by member " + id + ".");
            }
            member = group.member(id);
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId()).setMemberEpoch(request.memberEpoch());
        if (request.memberEpoch() == HeartbeatValidator.STATIC_LEAVE_EPOCH && member.instanceId() != null) {
            ConsumerGroupMember away = member.withEpochs(HeartbeatValidator.STATIC_LEAVE_EPOCH,
                    member.memberEpoch(), member.state(), member.assigned(), Assignment.EMPTY);
            return new Outcome(response, List.of(currentAssignment(group.groupId(), away)), member.memberId(), false);
        }
        return new Outcome(response, fence(group, member.memberId(), image), member.memberId(), true);
    }

    /**
     * The records that remove a member (leave, session or rebalance timeout) and bump the group epoch so the others
     * get its partitions.
     */
    public List<ConsumerGroupRecord> fence(ConsumerGroup group, String memberId, ClusterImage image) {
        List<ConsumerGroupRecord> records = new ArrayList<>();
        records.add(new ConsumerGroupRecord.CurrentAssignment(group.groupId(), memberId, null));
        records.add(new ConsumerGroupRecord.TargetAssignment(group.groupId(), memberId, null));
        records.add(new ConsumerGroupRecord.MemberMetadata(group.groupId(), memberId, null));
        List<ConsumerGroupMember> rest = new ArrayList<>(group.members());
        rest.removeIf(m -> m.memberId().equals(memberId));
        records.add(new ConsumerGroupRecord.GroupEpoch(group.groupId(), new ConsumerGroupRecord.GroupEpoch.Value(
                group.groupEpoch() + 1, Subscriptions.resolve(rest, image, group.regexTopicFilter()).metadataHash())));
        return records;
    }

    private ConsumerGroupMember findMember(ConsumerGroup group, String memberId, int epoch, String instanceId,
                                           List<ConsumerGroupRecord> records) {
        ConsumerGroupMember existing = group.member(memberId);
        if (instanceId == null) {
            if (existing == null && epoch != 0) {
                throw new UnknownMemberIdException("Member " + memberId + " is not a member of group "
                        + group.groupId() + ".");
            }
            return existing != null ? existing : ConsumerGroupMember.joining(memberId);
        }
        String holderId = group.staticMemberId(instanceId);
        ConsumerGroupMember holder = holderId == null ? null : group.member(holderId);
        if (epoch == 0) {
            if (holder == null) {
                return existing != null ? existing : ConsumerGroupMember.joining(memberId);
            }
            if (holderId.equals(memberId)) {
                return holder;
            }
            if (holder.memberEpoch() != HeartbeatValidator.STATIC_LEAVE_EPOCH) {
                throw new UnreleasedInstanceIdException("Static member with unknown member id and instance id "
                        + instanceId + " cannot join the group because the instance id is is owned by member "
                        + holderId + ".");
            }
            // The static member comes back under a new member id: it takes over the old one's partitions.
            records.add(new ConsumerGroupRecord.CurrentAssignment(group.groupId(), holderId, null));
            records.add(new ConsumerGroupRecord.TargetAssignment(group.groupId(), holderId, null));
            records.add(new ConsumerGroupRecord.MemberMetadata(group.groupId(), holderId, null));
            records.add(new ConsumerGroupRecord.TargetAssignment(group.groupId(), memberId, group.target(holderId)));
            return holder.withMemberId(memberId).withEpochs(0, 0, holder.state(), holder.assigned(),
                    Assignment.EMPTY);
        }
        if (holder == null) {
            throw new UnknownMemberIdException("Instance id " + instanceId + " is unknown.");
        }
        if (!holderId.equals(memberId)) {
            throw new FencedInstanceIdException("Static member " + memberId + " with instance id " + instanceId
                    + " was fenced by member " + holderId + ".");
        }
        return holder;
    }

    /** The member id a static rejoin replaces, or null. */
    private static String memberIdToReplace(ConsumerGroup group, ConsumerGroupMember member) {
        if (member.instanceId() == null) {
            return null;
        }
        String holder = group.staticMemberId(member.instanceId());
        return holder != null && !holder.equals(member.memberId()) ? holder : null;
    }

    private static void checkEpoch(ConsumerGroupMember member, int received, Assignment owned) {
        if (received > member.memberEpoch()) {
            throw new FencedMemberEpochException("The consumer group member has a greater member epoch (" + received
                    + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch() && (received != member.previousMemberEpoch() || owned == null
                || !owned.isSubsetOf(member.assigned()))) {
            throw new FencedMemberEpochException("The consumer group member has a smaller member epoch (" + received
                    + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    private static boolean sameMetadata(ConsumerGroupMember a, ConsumerGroupMember b) {
        return Objects.equals(a.instanceId(), b.instanceId()) && Objects.equals(a.rackId(), b.rackId())
                && a.clientId().equals(b.clientId()) && a.clientHost().equals(b.clientHost())
                && a.rebalanceTimeoutMs() == b.rebalanceTimeoutMs() && !a.subscriptionDiffers(b);
    }

    private static boolean sameAssignment(ConsumerGroupMember a, ConsumerGroupMember b) {
        return a.memberEpoch() == b.memberEpoch() && a.previousMemberEpoch() == b.previousMemberEpoch()
                && a.state() == b.state() && a.assigned().equals(b.assigned())
                && a.pendingRevocation().equals(b.pendingRevocation());
    }

    static ConsumerGroupRecord.MemberMetadata memberMetadata(String groupId, ConsumerGroupMember m) {
        return new ConsumerGroupRecord.MemberMetadata(groupId, m.memberId(),
                new ConsumerGroupRecord.MemberMetadata.Value(m.instanceId(), m.rackId(), m.clientId(), m.clientHost(),
                        m.rebalanceTimeoutMs(), m.subscribedTopicNames(), m.subscribedTopicRegex(),
                        m.serverAssignor()));
    }

    static ConsumerGroupRecord.CurrentAssignment currentAssignment(String groupId, ConsumerGroupMember m) {
        return new ConsumerGroupRecord.CurrentAssignment(groupId, m.memberId(),
                new ConsumerGroupRecord.CurrentAssignment.Value(m.memberEpoch(), m.previousMemberEpoch(), m.state(),
                        m.assigned(), m.pendingRevocation()));
    }

    private static Assignment owned(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> tps) {
        Map<UUID, List<Integer>> m = new HashMap<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : tps) {
            m.computeIfAbsent(toUuid(tp.topicId()), k -> new ArrayList<>()).addAll(tp.partitions());
        }
        return Assignment.of(m);
    }

    static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> toResponse(Assignment a) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> out = new ArrayList<>();
        a.partitions().forEach((topic, ps) -> out.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(toKafka(topic)).setPartitions(ps.stream().sorted().toList())));
        return out;
    }

    static UUID toUuid(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
