package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code samsa server --config nodeN.properties} processes form one cluster and survive the harness's process
 * faults: a node killed with {@code kill -9} or frozen with SIGSTOP does not stop the other two (a quorum of two),
 * and it catches up with the metadata once restarted or resumed.
 */
class ClusterProcessesIT {
    @TempDir
    Path dir;

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    }

    private static void assertKnowsTopic(String bootstrap, String topic) {
        try (Admin admin = admin(bootstrap)) {
            await(bootstrap + " knows " + topic).atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topic));
        }
    }

    @Test
    void threeProcessesFormOneClusterAndOutliveAKilledOrPausedNode() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.startLoopback(dir, 3, Map.of())) {
            try (Admin admin = admin(cluster.bootstrapServers())) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id)
                                .containsExactlyInAnyOrder(1, 2, 3));
            }

            // When node 3 is killed with kill -9, the two others still commit metadata
            cluster.kill(3);
            try (Admin admin = admin(cluster.bootstrapServers(1))) {
                admin.createTopics(List.of(new NewTopic("while-killed", 1, (short) 2))).all().get(60, TimeUnit.SECONDS);
            }
            // And once restarted on its data it has caught up
            cluster.start(3);
            assertKnowsTopic(cluster.bootstrapServers(3), "while-killed");

            // When node 3 is frozen with SIGSTOP, the others still commit; after SIGCONT it catches up
            cluster.pause(3);
            try (Admin admin = admin(cluster.bootstrapServers(2))) {
                admin.createTopics(List.of(new NewTopic("while-paused", 1, (short) 2))).all().get(60, TimeUnit.SECONDS);
            }
            cluster.resume(3);
            assertKnowsTopic(cluster.bootstrapServers(3), "while-paused");
            assertThat(cluster.output(3)).contains("Samsa started");
        }
    }
}
