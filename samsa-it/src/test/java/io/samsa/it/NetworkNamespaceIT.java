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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, each in its own network namespace on a bridge (10.213.71.0/24), reached from the test through the
 * bridge. Isolating one node with iptables makes it unreachable while the other two keep committing metadata;
 * healing it brings it back, caught up. Skipped without root, ip or iptables.
 */
class NetworkNamespaceIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNamespaces() {
        NetworkNamespaces.assumeAvailable();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    }

    @Test
    void anIsolatedNodeIsUnreachableAndRejoinsWhenHealed() throws Exception {
        try (NetworkNamespaces net = NetworkNamespaces.create("smnsit", "10.213.71", 3);
             ClusterProcesses cluster = net.cluster(dir, Map.of())) {
            cluster.startAll();
            assertThat(cluster.bootstrapServers()).contains("10.213.71.2:", "10.213.71.3:", "10.213.71.4:");
            try (Admin admin = admin(cluster.bootstrapServers())) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id)
                                .containsExactlyInAnyOrder(1, 2, 3));
            }

            // When node 3 is cut off in both directions
            net.isolate(3);

            // Then the test cannot reach it, and nodes 1 and 2 still commit metadata without it
            assertThat(cluster.accepting(3)).isFalse();
            try (Admin admin = admin(cluster.bootstrapServers(1))) {
                admin.createTopics(List.of(new NewTopic("while-isolated", 1, (short) 2))).all()
                        .get(60, TimeUnit.SECONDS);
            }
            assertThat(cluster.isAlive(3)).isTrue();

            // When healed, it is reachable again and has caught up with what was committed meanwhile
            net.heal(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.accepting(3));
            try (Admin admin = admin(cluster.bootstrapServers(3))) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("while-isolated"));
            }
        }
    }
}
