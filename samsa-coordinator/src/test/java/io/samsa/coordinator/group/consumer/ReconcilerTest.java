package io.samsa.coordinator.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final UUID T = new UUID(0, 7);
    private final Map<Integer, Integer> holders = new HashMap<>();

    private int epochOf(UUID topic, int partition) {
        return holders.getOrDefault(partition, -1);
    }

    private static Assignment parts(Integer... ps) {
        return ps.length == 0 ? Assignment.EMPTY : Assignment.of(Map.of(T, List.of(ps)));
    }

    private static ConsumerGroupMember member(int epoch, MemberState state, Assignment assigned, Assignment revoking) {
        return ConsumerGroupMember.joining("m").withEpochs(epoch, epoch - 1, state, assigned, revoking);
    }

    @Test
    void aNewMemberGetsFreePartitionsAtTheTargetEpoch() {
        ConsumerGroupMember next = Reconciler.reconcile(ConsumerGroupMember.joining("m"), 3, parts(0, 1),
                this::epochOf, Assignment.EMPTY);

        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.previousMemberEpoch()).isZero();
        assertThat(next.state()).isEqualTo(MemberState.STABLE);
        assertThat(next.assigned()).isEqualTo(parts(0, 1));
    }

    @Test
    void partitionsStillHeldByAnotherMemberAreWithheldUntilReleased() {
        holders.put(1, 2);

        ConsumerGroupMember waiting = Reconciler.reconcile(ConsumerGroupMember.joining("m"), 3, parts(0, 1),
                this::epochOf, Assignment.EMPTY);

        assertThat(waiting.state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(waiting.memberEpoch()).isEqualTo(3);
        assertThat(waiting.assigned()).isEqualTo(parts(0));

        holders.clear();
        ConsumerGroupMember done = Reconciler.reconcile(waiting, 3, parts(0, 1), this::epochOf, parts(0));

        assertThat(done.state()).isEqualTo(MemberState.STABLE);
        assertThat(done.assigned()).isEqualTo(parts(0, 1));
        assertThat(done.memberEpoch()).isEqualTo(3);
    }

    @Test
    void revocationComesFirstAndKeepsTheEpochUntilAcknowledged() {
        ConsumerGroupMember stable = member(3, MemberState.STABLE, parts(0, 1, 2), Assignment.EMPTY);

        ConsumerGroupMember revoking = Reconciler.reconcile(stable, 4, parts(0, 3), this::epochOf, parts(0, 1, 2));

        assertThat(revoking.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(revoking.memberEpoch()).isEqualTo(3);
        assertThat(revoking.assigned()).isEqualTo(parts(0));
        assertThat(revoking.pendingRevocation()).isEqualTo(parts(1, 2));

        ConsumerGroupMember stillOwning = Reconciler.reconcile(revoking, 4, parts(0, 3), this::epochOf, parts(0, 2));
        assertThat(stillOwning).isSameAs(revoking);
        ConsumerGroupMember notReported = Reconciler.reconcile(revoking, 4, parts(0, 3), this::epochOf, null);
        assertThat(notReported).isSameAs(revoking);

        ConsumerGroupMember moved = Reconciler.reconcile(revoking, 4, parts(0, 3), this::epochOf, parts(0));

        assertThat(moved.state()).isEqualTo(MemberState.STABLE);
        assertThat(moved.memberEpoch()).isEqualTo(4);
        assertThat(moved.previousMemberEpoch()).isEqualTo(3);
        assertThat(moved.assigned()).isEqualTo(parts(0, 3));
        assertThat(moved.pendingRevocation().isEmpty()).isTrue();
    }

    @Test
    void revokedPartitionsAlreadyGivenUpSkipTheWait() {
        ConsumerGroupMember stable = member(3, MemberState.STABLE, parts(0, 1), Assignment.EMPTY);

        ConsumerGroupMember next = Reconciler.reconcile(stable, 4, parts(0), this::epochOf, parts(0));

        assertThat(next.state()).isEqualTo(MemberState.STABLE);
        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.assigned()).isEqualTo(parts(0));
    }

    @Test
    void aStableMemberAtTheTargetEpochIsUnchanged() {
        ConsumerGroupMember stable = member(5, MemberState.STABLE, parts(1), Assignment.EMPTY);

        assertThat(Reconciler.reconcile(stable, 5, parts(1), this::epochOf, parts(1))).isSameAs(stable);
    }
}
