package io.samsa.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagHistoryTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void keepsSamplesOfTheLastWindowOnly() {
        ManualClock clock = new ManualClock();
        try (Cluster cluster = new Cluster(Map.of("bootstrap.servers", "127.0.0.1:1"));
                LagHistory history = new LagHistory(cluster, clock)) {
            history.viewed("g", new GroupLag(Map.of(TP, 5L), Map.of(TP, 15L)));
            clock.millis += LagHistory.WINDOW_MS / 2;
            history.viewed("g", new GroupLag(Map.of(TP, 5L), Map.of(TP, 25L)));
            assertThat(history.samples("g")).extracting(LagHistory.Sample::total).containsExactly(10L, 20L);

            clock.millis += LagHistory.WINDOW_MS / 2 + 1;
            history.viewed("g", new GroupLag(Map.of(TP, 5L), Map.of(TP, 35L)));
            assertThat(history.samples("g")).extracting(LagHistory.Sample::total).containsExactly(20L, 30L);
            assertThat(history.samples("other")).isEmpty();
        }
    }

    @Test
    void aPartitionWithoutACommitHasNoLag() {
        GroupLag lag = new GroupLag(Map.of(TP, -1L, new TopicPartition("t", 1), 3L),
                Map.of(TP, 10L, new TopicPartition("t", 1), 10L));
        assertThat(lag.lag()).containsOnlyKeys(new TopicPartition("t", 1));
        assertThat(lag.total()).isEqualTo(7);
    }
}
