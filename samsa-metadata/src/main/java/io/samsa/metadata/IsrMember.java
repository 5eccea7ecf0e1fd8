package io.samsa.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One member of an ISR proposed in AlterPartition, with the broker epoch its leader knows for it (KIP-903; Kafka's
 * {@code AlterPartitionRequest} v3 {@code NewIsrWithEpochs}): the epoch the replica named in its last fetch
 * ({@code ReplicaState.ReplicaEpoch}, Fetch v15+), or -1 when the leader knows none (it has not fetched under this
 * leader, or sent no epoch). The controller refuses a proposal naming an epoch that is not the broker's current
 * registration (INELIGIBLE_REPLICA): the replica restarted since, and what its fetches said of its log may be gone.
 */
public record IsrMember(int brokerId, long brokerEpoch) {
    /** The epoch of a member the leader knows no epoch for: the controller does not check it. */
    public static final long UNKNOWN_EPOCH = -1;

    /** The broker ids of {@code members}, in order. */
    public static List<Integer> ids(List<IsrMember> members) {
        List<Integer> out = new ArrayList<>(members.size());
        for (IsrMember m : members) {
            out.add(m.brokerId());
        }
        return List.copyOf(out);
    }

    /** {@code ids} with no known epoch (tests, and callers that have none). */
    public static List<IsrMember> withoutEpochs(List<Integer> ids) {
        List<IsrMember> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            out.add(new IsrMember(id, UNKNOWN_EPOCH));
        }
        return List.copyOf(out);
    }
}
