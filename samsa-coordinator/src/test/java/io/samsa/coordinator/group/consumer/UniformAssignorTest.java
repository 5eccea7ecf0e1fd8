package io.samsa.coordinator.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.coordinator.group.consumer.ConsumerGroupAssignor.MemberSpec;
import io.samsa.coordinator.group.consumer.ConsumerGroupAssignor.Spec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {
    private static final UUID T1 = new UUID(0, 1);
    private static final UUID T2 = new UUID(0, 2);
    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void fourMembersOnFourPartitionsGetOneEach() {
        Map<String, Assignment> result = assignor.assign(spec(Map.of(T1, 4), members(4, Set.of(T1))));

        assertThat(result).hasSize(4);
        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isEqualTo(1));
        assertCoversEachPartitionOnce(result, Map.of(T1, 4));
    }

    @Test
    void homogeneousSubscriptionsAreBalancedWithinOne() {
        Map<UUID, Integer> counts = Map.of(T1, 7, T2, 11);
        Map<String, Assignment> result = assignor.assign(spec(counts, members(5, Set.of(T1, T2))));

        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isBetween(3, 4));
        assertCoversEachPartitionOnce(result, counts);
    }

    @Test
    void aJoiningMemberTakesPartitionsOnlyFromTheLoadedAndTheRestStay() {
        Map<UUID, Integer> counts = Map.of(T1, 6);
        Map<String, Assignment> before = assignor.assign(spec(counts, members(2, Set.of(T1))));
        Map<String, MemberSpec> three = new HashMap<>();
        before.forEach((id, a) -> three.put(id, new MemberSpec(Set.of(T1), a, null)));
        three.put("m9", new MemberSpec(Set.of(T1), Assignment.EMPTY, null));

        Map<String, Assignment> after = assignor.assign(new Spec(three, counts));

        assertThat(after.values()).allSatisfy(a -> assertThat(a.size()).isEqualTo(2));
        assertThat(after.get("m0").isSubsetOf(before.get("m0"))).isTrue();
        assertThat(after.get("m1").isSubsetOf(before.get("m1"))).isTrue();
    }

    @Test
    void aLeavingMembersPartitionsGoToTheOthersWhoKeepTheirs() {
        Map<UUID, Integer> counts = Map.of(T1, 4);
        Map<String, Assignment> before = assignor.assign(spec(counts, members(4, Set.of(T1))));
        Map<String, MemberSpec> three = new HashMap<>();
        for (String id : List.of("m0", "m1", "m2")) {
            three.put(id, new MemberSpec(Set.of(T1), before.get(id), null));
        }

        Map<String, Assignment> after = assignor.assign(new Spec(three, counts));

        three.keySet().forEach(id -> assertThat(before.get(id).isSubsetOf(after.get(id))).isTrue());
        assertCoversEachPartitionOnce(after, counts);
    }

    @Test
    void heterogeneousSubscriptionsOnlyGetSubscribedTopicsAndBalance() {
        Map<UUID, Integer> counts = Map.of(T1, 6, T2, 2);
        Map<String, MemberSpec> m = Map.of(
                "a", new MemberSpec(Set.of(T1), Assignment.EMPTY, null),
                "b", new MemberSpec(Set.of(T1, T2), Assignment.EMPTY, null),
                "c", new MemberSpec(Set.of(T2), Assignment.EMPTY, null));

        Map<String, Assignment> result = assignor.assign(new Spec(m, counts));

        assertThat(result.get("a").partitions()).containsOnlyKeys(T1);
        assertThat(result.get("c").partitions()).containsOnlyKeys(T2);
        assertCoversEachPartitionOnce(result, counts);
        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isBetween(2, 3));
    }

    @Test
    void unknownTopicsAndDroppedPartitionsAreSkipped() {
        UUID missing = new UUID(0, 99);
        Map<String, MemberSpec> m = Map.of("a", new MemberSpec(Set.of(T1, missing),
                Assignment.of(Map.of(T1, List.of(0, 5), missing, List.of(0))), null));

        Map<String, Assignment> result = assignor.assign(new Spec(m, Map.of(T1, 2)));

        assertThat(result.get("a")).isEqualTo(Assignment.of(Map.of(T1, List.of(0, 1))));
    }

    @Test
    void aThousandMembersOnAThousandPartitions() {
        Map<String, Assignment> result = assignor.assign(spec(Map.of(T1, 1000), members(1000, Set.of(T1))));

        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isEqualTo(1));
    }

    static Spec spec(Map<UUID, Integer> counts, Map<String, MemberSpec> members) {
        return new Spec(members, counts);
    }

    static Map<String, MemberSpec> members(int n, Set<UUID> topics) {
        Map<String, MemberSpec> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("m" + i, new MemberSpec(topics, Assignment.EMPTY, null));
        }
        return m;
    }

    static void assertCoversEachPartitionOnce(Map<String, Assignment> result, Map<UUID, Integer> counts) {
        Map<UUID, Set<Integer>> seen = new HashMap<>();
        int total = 0;
        for (Assignment a : result.values()) {
            for (Map.Entry<UUID, Set<Integer>> e : a.partitions().entrySet()) {
                for (int p : e.getValue()) {
                    assertThat(seen.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(p))
                            .as("partition %s-%d assigned once", e.getKey(), p).isTrue();
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo(counts.values().stream().mapToInt(Integer::intValue).sum());
    }
}
