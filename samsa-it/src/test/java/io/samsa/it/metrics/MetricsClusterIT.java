package io.samsa.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM, each with its own HTTP port: the replication metrics an operator alerts on follow a node
 * going away and coming back (under-replicated and under-min-ISR partitions, ISR expansions, one active
 * controller), and a broker that
 * lost the metadata quorum says it is not ready while staying live.
 */
class MetricsClusterIT {
    private static final Map<String, String> FAST = Map.of(
            "broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "3000",
            "default.replication.factor", "3");

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Scrape scrape(int node) throws Exception {
        return Scrape.get(http(node), "/metrics");
    }

    private InetSocketAddress http(int node) {
        return cluster.broker(node).http().addresses().get(0);
    }

    private double sum(Set<Integer> nodes, String name) throws Exception {
        double total = 0;
        for (int node : nodes) {
            total += scrape(node).value(name, "");
        }
        return total;
    }

    @Test
    void aStoppedNodeShowsAsUnderReplicatedPartitionsAndALostQuorumAsNotReady() throws Exception {
        // Given three nodes and a topic of 3 partitions on all of them that needs 3 in-sync replicas
        cluster = EmbeddedCluster.start(dir, 3, FAST);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "3")))).all().get(30, TimeUnit.SECONDS);
        }
        for (int p = 0; p < 3; p++) {
            cluster.awaitLeader("orders", p);
        }
        Set<Integer> all = Set.of(1, 2, 3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sum(all, "kafka_server_replicamanager_leadercount")).isEqualTo(3.0);
            assertThat(sum(all, "kafka_controller_kafkacontroller_activecontrollercount")).isEqualTo(1.0);
        });
        for (int node : all) {
            Scrape s = scrape(node);
            assertThat(s.value("kafka_server_replicamanager_partitioncount", "")).isEqualTo(3.0);
            assertThat(s.value("kafka_server_replicamanager_underreplicatedpartitions", "")).isZero();
            assertThat(Scrape.get(http(node), "/health/ready").status()).isEqualTo(200);
        }

        // When node 3 stops
        cluster.stop(3);
        Set<Integer> live = Set.of(1, 2);

        // Then the leaders on the other nodes report every partition under-replicated and under its min ISR
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(sum(live, "kafka_server_replicamanager_underreplicatedpartitions")).isEqualTo(3.0);
            assertThat(sum(live, "kafka_server_replicamanager_underminisrpartitioncount")).isEqualTo(3.0);
            assertThat(sum(live, "kafka_server_replicamanager_leadercount")).isEqualTo(3.0);
            assertThat(sum(live, "kafka_controller_kafkacontroller_activecontrollercount")).isEqualTo(1.0);
        });

        // When node 3 is back, the leaders take it into the ISR again (a leader's ISR expansion, as Kafka counts it;
        // the controlled shutdown's removal was the controller's, not a leader's shrink)
        cluster.start(3);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(sum(all, "kafka_server_replicamanager_underreplicatedpartitions")).isZero();
            assertThat(sum(all, "kafka_server_replicamanager_isrexpands_total")).isGreaterThanOrEqualTo(3.0);
        });

        // When nodes 2 and 3 stop, node 1 has no metadata quorum: alive, but not ready, with the reason
        cluster.stop(2);
        cluster.stop(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape ready = Scrape.get(http(1), "/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: ").contains("controller");
        });
        assertThat(Scrape.get(http(1), "/health/live").status()).isEqualTo(200);

        // And once node 2 is back, node 1 is ready again
        cluster.start(2);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Scrape.get(http(1), "/health/ready").status()).isEqualTo(200));
    }
}
