package io.samsa.coordinator.group.record;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A classic group's state as of its last completed rebalance (key: group), written after each SyncGroup completes,
 * when a static member is replaced and when a group becomes empty; a tombstone ({@code value} null) when the group is
 * deleted. Replaying it restores the group, its generation and its members (who then rejoin or expire).
 *
 * @param value the group, null for a tombstone
 */
public record GroupMetadataRecord(String groupId, Value value) implements CoordinatorRecord {

    /**
     * @param protocolType       e.g. "consumer" or "connect"; "" for a group that never had members
     * @param generation         the generation id
     * @param protocolName       the selected protocol (assignor), null when the group is empty
     * @param leader             the leader's member id, null when empty
     * @param currentStateTimeMs when the group entered its current state (ms since the epoch)
     * @param members            the members with their selected-protocol metadata and assignment
     */
    public record Value(String protocolType, int generation, String protocolName, String leader,
                        long currentStateTimeMs, List<Member> members) {
        public Value {
            protocolType = protocolType == null ? "" : protocolType;
            members = List.copyOf(members);
        }
    }

    /**
     * @param sessionTimeoutMs   session timeout (ms)
     * @param rebalanceTimeoutMs rebalance timeout (ms)
     * @param subscription       the member's metadata for the selected protocol (opaque to the broker)
     * @param assignment         the member's assignment from the leader (opaque to the broker)
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
        public Member {
            subscription = subscription == null ? new byte[0] : subscription;
            assignment = assignment == null ? new byte[0] : assignment;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && memberId.equals(m.memberId)
                    && Objects.equals(groupInstanceId, m.groupInstanceId) && clientId.equals(m.clientId)
                    && clientHost.equals(m.clientHost) && rebalanceTimeoutMs == m.rebalanceTimeoutMs
                    && sessionTimeoutMs == m.sessionTimeoutMs && Arrays.equals(subscription, m.subscription)
                    && Arrays.equals(assignment, m.assignment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs,
                    Arrays.hashCode(subscription), Arrays.hashCode(assignment));
        }
    }

    public static GroupMetadataRecord tombstone(String groupId) {
        return new GroupMetadataRecord(groupId, null);
    }

    @Override
    public RecordType type() {
        return RecordType.GROUP_METADATA;
    }

    @Override
    public boolean isTombstone() {
        return value == null;
    }
}
