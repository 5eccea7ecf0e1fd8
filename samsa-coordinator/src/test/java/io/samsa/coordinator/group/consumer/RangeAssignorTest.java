package io.samsa.coordinator.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.coordinator.group.consumer.ConsumerGroupAssignor.MemberSpec;
import io.samsa.coordinator.group.consumer.ConsumerGroupAssignor.Spec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {
    private static final UUID ORDERS = new UUID(0, 1);
    private static final UUID PAYMENTS = new UUID(0, 2);
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void coPartitionedTopicsGiveTheSamePartitionNumbersToTheSameMember() {
        Map<String, Assignment> result = assignor.assign(new Spec(
                UniformAssignorTest.members(3, Set.of(ORDERS, PAYMENTS)), Map.of(ORDERS, 7, PAYMENTS, 7)));

        assertThat(result.get("m0")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(0, 1, 2),
                PAYMENTS, List.of(0, 1, 2))));
        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(3, 4), PAYMENTS, List.of(3, 4))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(5, 6), PAYMENTS, List.of(5, 6))));
    }

    @Test
    void moreMembersThanPartitionsLeavesTheLastOnesEmpty() {
        Map<String, Assignment> result = assignor.assign(new Spec(
                UniformAssignorTest.members(3, Set.of(ORDERS)), Map.of(ORDERS, 2)));

        assertThat(result.get("m0").size()).isEqualTo(1);
        assertThat(result.get("m1").size()).isEqualTo(1);
        assertThat(result.get("m2").isEmpty()).isTrue();
    }

    @Test
    void eachTopicIsSplitAmongItsOwnSubscribers() {
        Map<String, Assignment> result = assignor.assign(new Spec(Map.of(
                "a", new MemberSpec(Set.of(ORDERS), Assignment.EMPTY, null),
                "b", new MemberSpec(Set.of(ORDERS, PAYMENTS), Assignment.EMPTY, null)),
                Map.of(ORDERS, 4, PAYMENTS, 2)));

        assertThat(result.get("a")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(0, 1))));
        assertThat(result.get("b")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(2, 3), PAYMENTS, List.of(0, 1))));
    }
}
