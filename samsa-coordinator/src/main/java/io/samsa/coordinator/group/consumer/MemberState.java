package io.samsa.coordinator.group.consumer;

/**
 * Where a KIP-848 member stands in reconciling its assignment with its target assignment (Kafka's
 * {@code MemberState}).
 *
 * <ul>
 *   <li>{@link #STABLE}: the member owns its whole target assignment at the target assignment epoch.</li>
 *   <li>{@link #UNREVOKED_PARTITIONS}: the member must first give up partitions that left its target; it keeps its
 *       epoch until a heartbeat no longer lists them as owned.</li>
 *   <li>{@link #UNRELEASED_PARTITIONS}: the member is at the target epoch but waits for partitions that another member
 *       still owns (has not revoked yet).</li>
 * </ul>
 */
public enum MemberState {
    STABLE((byte) 1),
    UNREVOKED_PARTITIONS((byte) 2),
    UNRELEASED_PARTITIONS((byte) 3);

    private final byte code;

    MemberState(byte code) {
        this.code = code;
    }

    /** Kafka's persisted code ({@code ConsumerGroupCurrentMemberAssignmentValue.State}). */
    public byte code() {
        return code;
    }

    /** The state for a persisted code; unknown codes (a newer writer) read as UNREVOKED_PARTITIONS to force progress. */
    public static MemberState fromCode(byte code) {
        for (MemberState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNREVOKED_PARTITIONS;
    }
}
