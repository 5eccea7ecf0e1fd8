package io.samsa.coordinator.group.consumer;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Builds ConsumerGroupDescribe (API 69, KIP-848) entries: state, group and assignment epochs, the assignor in use,
 * and every member with its current and target assignments (topic ids and names; partitions of deleted topics are
 * left out). Stateless and thread-safe; reads the group on its shard's executor.
 */
public final class ConsumerGroupDescriber {
    /** ConsumerGroupDescribe v1 {@code MemberType} of a KIP-848 member (KIP-1099). */
    private static final byte CONSUMER_MEMBER = 1;

    private ConsumerGroupDescriber() {
    }

    /** The entry for {@code group}. */
    public static ConsumerGroupDescribeResponseData.DescribedGroup describe(ConsumerGroup group,
                                                                           ConsumerGroupSettings settings,
                                                                           ClusterImage image) {
        Map<String, ConsumerGroupMember> members = new HashMap<>();
        group.members().forEach(m -> members.put(m.memberId(), m));
        ConsumerGroupDescribeResponseData.DescribedGroup out = new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(TargetAssignments.assignorOf(members, settings).name());
        members.values().stream().sorted(java.util.Comparator.comparing(ConsumerGroupMember::memberId)).forEach(m ->
                out.members().add(new ConsumerGroupDescribeResponseData.Member()
                        .setMemberId(m.memberId())
                        .setInstanceId(m.instanceId())
                        .setRackId(m.rackId())
                        .setMemberEpoch(m.memberEpoch())
                        .setClientId(m.clientId())
                        .setClientHost(m.clientHost())
                        .setSubscribedTopicNames(m.subscribedTopicNames())
                        .setSubscribedTopicRegex(m.subscribedTopicRegex())
                        .setAssignment(assignment(m.assigned(), image))
                        .setTargetAssignment(assignment(group.target(m.memberId()), image))
                        .setMemberType(CONSUMER_MEMBER)));
        return out;
    }

    /** The entry for a group id that is unknown or not a consumer group. */
    public static ConsumerGroupDescribeResponseData.DescribedGroup notFound(String groupId, boolean exists) {
        return new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                .setErrorMessage(exists ? "Group " + groupId + " is not a consumer group."
                        : "Group " + groupId + " not found.");
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(Assignment a, ClusterImage image) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> tps = new ArrayList<>();
        a.partitions().forEach((topicId, ps) -> {
            TopicImage t = image.topicsById().get(topicId);
            if (t != null) {
                tps.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(HeartbeatLogic.toKafka(topicId))
                        .setTopicName(t.name())
                        .setPartitions(ps.stream().sorted().toList()));
            }
        });
        tps.sort(java.util.Comparator.comparing(ConsumerGroupDescribeResponseData.TopicPartitions::topicName));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(tps);
    }
}
