package io.samsa.coordinator.group.consumer;

import java.util.List;

/**
 * The KIP-848 consumer-group records written to {@code __consumer_offsets} (Kafka's {@code ConsumerGroup*Key/Value}
 * records), as typed values. Replaying them in log order rebuilds every consumer group: epochs, members, target and
 * current assignments. {@link ConsumerGroupRecordCodec} maps them to the reserved record types
 * {@code 0x5310..0x5315}.
 *
 * <p>Each record is keyed by group (and member); a null value is a tombstone that deletes the key.
 */
public sealed interface ConsumerGroupRecord {

    String groupId();

    /**
     * The group epoch and the hash of the subscribed topics' metadata it was computed with (KIP-848
     * {@code ConsumerGroupMetadataValue}); a tombstone deletes the group.
     */
    record GroupEpoch(String groupId, Value value) implements ConsumerGroupRecord {
        /** @param epoch the group epoch; @param metadataHash hash of subscribed topic names, ids, partition counts */
        public record Value(int epoch, long metadataHash) {
        }
    }

    /** One member's subscription and client settings; a tombstone removes the member. */
    record MemberMetadata(String groupId, String memberId, Value value) implements ConsumerGroupRecord {
        /**
         * @param rebalanceTimeoutMs how long the member may take to revoke (ms)
         * @param topicNames         topics subscribed by name
         * @param regex              the regex subscribed to, or null
         * @param serverAssignor     the requested server assignor, or null
         */
        public record Value(String instanceId, String rackId, String clientId, String clientHost,
                            int rebalanceTimeoutMs, List<String> topicNames, String regex, String serverAssignor) {
            public Value {
                topicNames = List.copyOf(topicNames);
            }
        }
    }

    /** One member's target assignment; a tombstone removes it. */
    record TargetAssignment(String groupId, String memberId, Assignment value) implements ConsumerGroupRecord {
    }

    /** The epoch of the group's target assignment; a tombstone (null) removes it. */
    record TargetAssignmentEpoch(String groupId, Integer value) implements ConsumerGroupRecord {
    }

    /** One member's epoch, state and current assignment; a tombstone resets it. */
    record CurrentAssignment(String groupId, String memberId, Value value) implements ConsumerGroupRecord {
        /**
         * @param memberEpoch         the member epoch (-2: a static member that left temporarily)
         * @param previousMemberEpoch the epoch before the last bump
         * @param state               the reconciliation state
         * @param assigned            the partitions the member owns or may take
         * @param pendingRevocation   the partitions it must revoke first
         */
        public record Value(int memberEpoch, int previousMemberEpoch, MemberState state, Assignment assigned,
                            Assignment pendingRevocation) {
        }
    }
}
