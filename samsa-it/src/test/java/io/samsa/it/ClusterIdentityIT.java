package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.SamsaController;
import io.samsa.broker.node.NodeIdentityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meta.properties without a format step, the refusals it enables, and a controller-only node. */
class ClusterIdentityIT {
    @TempDir
    Path dir;

    @Test
    void aSingleNodeKeepsItsClusterIdAndRefusesDirectoriesOfAnotherClusterOrNode() throws Exception {
        // Given a node started once: its log dir and metadata dir got meta.properties
        EmbeddedSamsa samsa = EmbeddedSamsa.start(dir);
        String clusterId;
        try (Admin admin = samsa.admin()) {
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        samsa.close();
        Path meta = samsa.logDir().resolve("meta.properties");
        assertThat(Files.readString(meta)).contains("version=1", "cluster.id=" + clusterId, "node.id=1", "directory.id=");
        assertThat(samsa.logDir().resolve("__samsa_metadata").resolve("meta.properties")).exists();

        // When its log dir claims another cluster than its metadata dir, the start stops before anything runs
        String original = Files.readString(meta);
        Files.writeString(meta, original.replace(clusterId, "someOtherClusterIdAAAAA"));
        assertThatThrownBy(() -> EmbeddedSamsa.start(dir))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("has cluster.id=" + clusterId)
                .hasMessageContaining(meta + " has cluster.id=someOtherClusterIdAAAAA");

        // When both claim another cluster than the quorum's log holds, the start stops with both ids and the file
        Path metadataMeta = samsa.logDir().resolve("__samsa_metadata").resolve("meta.properties");
        String metadataOriginal = Files.readString(metadataMeta);
        Files.writeString(metadataMeta, metadataOriginal.replace(clusterId, "someOtherClusterIdAAAAA"));
        assertThatThrownBy(() -> EmbeddedSamsa.start(dir))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("cluster.id=someOtherClusterIdAAAAA")
                .hasMessageContaining("the metadata quorum's cluster id is " + clusterId)
                .hasMessageContaining(meta.toString());
        Files.writeString(metadataMeta, metadataOriginal);

        // When it claims another node, the start stops before anything runs
        Files.writeString(meta, original.replace("node.id=1", "node.id=7"));
        assertThatThrownBy(() -> EmbeddedSamsa.start(dir))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("has node.id=7 but the configuration has node.id=1");

        // And with the file restored it starts, same cluster
        Files.writeString(meta, original);
        try (EmbeddedSamsa again = EmbeddedSamsa.start(dir); Admin admin = again.admin()) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
        }
    }

    @Test
    void aControllerOnlyNodeVotesButServesNoClients() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3, Map.of(),
                Map.of(3, Map.of("process.roles", "controller")))) {
            assertThat(cluster.node(3)).isInstanceOf(SamsaController.class);
            assertThat(cluster.isBroker(3)).isFalse();
            try (Admin admin = cluster.admin()) {
                DescribeClusterResult described = admin.describeCluster();
                assertThat(described.nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                        .containsExactlyInAnyOrder(1, 2);
                admin.createTopics(List.of(new NewTopic("on-two-brokers", 2, (short) 2))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(Ports.accepting(Integer.parseInt(cluster.bootstrapServers(3).split(":")[1]))).isFalse();
            assertThat(cluster.logDir(3).resolve("__samsa_metadata").resolve("meta.properties")).exists();

            // When two of the three voters remain (a broker stops), the quorum still commits
            cluster.stop(1);
            try (Admin admin = Clients.admin(cluster.bootstrapServers(2))) {
                admin.createTopics(List.of(new NewTopic("with-two-voters", 1, (short) 1))).all()
                        .get(60, TimeUnit.SECONDS);
            }
        }
    }
}
