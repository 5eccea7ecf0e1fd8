package io.samsa.coordinator.group.consumer;

import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * The request checks of ConsumerGroupHeartbeat that need no group state (Kafka 4.3's
 * {@code GroupCoordinatorService.throwIfConsumerGroupHeartbeatRequestIsInvalid}), with its messages. An empty topic
 * list is a valid subscription: a client-side {@code java.util.regex.Pattern} that matches nothing yet sends one. Stateless and thread-safe.
 */
public final class HeartbeatValidator {
    /** Member epoch of a leaving member. */
    public static final int LEAVE_EPOCH = -1;
    /** Member epoch of a static member leaving temporarily (it keeps its partitions for the session timeout). */
    public static final int STATIC_LEAVE_EPOCH = -2;
    /** From this version members generate their own member id (KIP-1082). */
    public static final short CLIENT_MEMBER_ID_VERSION = 1;

    private HeartbeatValidator() {
    }

    /**
     * @throws InvalidRequestException      for a missing or malformed field (INVALID_REQUEST)
     * @throws UnsupportedAssignorException for an unknown {@code ServerAssignor} (UNSUPPORTED_ASSIGNOR)
     */
    public static void validate(ConsumerGroupHeartbeatRequestData request, short version,
                                Map<String, ConsumerGroupAssignor> assignors) {
        if (version >= CLIENT_MEMBER_ID_VERSION || request.memberEpoch() > 0 || request.memberEpoch() == LEAVE_EPOCH) {
            emptyString(request.memberId(), "MemberId can't be empty.");
        }
        emptyString(request.groupId(), "GroupId can't be empty.");
        emptyString(request.instanceId(), "InstanceId can't be empty.");
        emptyString(request.rackId(), "RackId can't be empty.");
        if (request.memberEpoch() == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw new InvalidRequestException(
                        "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        } else if (request.memberEpoch() == STATIC_LEAVE_EPOCH) {
            if (request.instanceId() == null) {
                throw new InvalidRequestException("InstanceId can't be null.");
            }
        } else if (request.memberEpoch() < STATIC_LEAVE_EPOCH) {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !assignors.containsKey(request.serverAssignor())) {
            throw new UnsupportedAssignorException("ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", assignors.keySet()) + ".");
        }
    }

    private static void emptyString(String value, String message) {
        if (value != null && value.trim().isEmpty()) {
            throw new InvalidRequestException(message);
        }
    }
}
