package io.samsa.coordinator.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The coordinator's side of a whole group converging, without sockets: N members join at once, then heartbeat in
 * rounds like clients (each reporting the partitions it was last given) until every member owns its target and the
 * group is Stable. Prints the wall time from the first join to the full assignment and the heartbeats it took; the
 * README quotes these numbers.
 */
class ConsumerGroupScaleTest {

    @ParameterizedTest(name = "{0} members, {1} partitions")
    @CsvSource({"100, 100", "100, 1000", "1000, 1000"})
    void aGroupConvergesToAFullAssignment(int members, int partitions) {
        // warm up the JIT on a small group, then measure
        converge(50, 100);
        Result r = converge(members, partitions);

        System.out.printf("KIP-848 shard: %d members, %d partitions: full assignment in %d ms, %d heartbeats, "
                + "%d rounds, %d records%n", members, partitions, r.millis, r.heartbeats, r.rounds, r.records);
        assertThat(r.rounds).isLessThan(10);
    }

    private record Result(long millis, int heartbeats, int rounds, int records) {
    }

    private static Result converge(int members, int partitions) {
        ShardFixture f = new ShardFixture();
        f.topic("t", partitions);
        Map<String, Assignment> owned = new HashMap<>();
        Map<String, Integer> epochs = new HashMap<>();
        long start = System.nanoTime();
        int heartbeats = 0;
        for (int i = 0; i < members; i++) {
            String id = "member-" + i;
            ConsumerGroupHeartbeatResponseData r = f.heartbeat(ShardFixture.join("g", id, "t"));
            assertThat(r.errorCode()).isZero();
            epochs.put(id, r.memberEpoch());
            owned.put(id, ShardFixture.assignment(r));
            heartbeats++;
        }
        int rounds = 0;
        ConsumerGroup group = f.group("g");
        while (!group.stateName().equals("Stable")) {
            rounds++;
            List<String> ids = new ArrayList<>(owned.keySet());
            for (String id : ids) {
                ConsumerGroupHeartbeatResponseData r = f.heartbeat(
                        ShardFixture.beat("g", id, epochs.get(id), owned.get(id)));
                assertThat(r.errorCode()).as(r.errorMessage()).isZero();
                epochs.put(id, r.memberEpoch());
                Assignment a = ShardFixture.assignment(r);
                if (a != null) {
                    owned.put(id, a);
                }
                heartbeats++;
            }
            assertThat(rounds).as("converges").isLessThan(50);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int total = owned.values().stream().mapToInt(Assignment::size).sum();
        assertThat(total).isEqualTo(partitions);
        owned.values().forEach(a -> assertThat(a.size()).isBetween(partitions / members, partitions / members + 1));
        return new Result(millis, heartbeats, rounds, f.log.size());
    }
}
