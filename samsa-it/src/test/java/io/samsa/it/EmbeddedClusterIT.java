package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.metadata.properties.MetaProperties;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble.VerificationFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three combined nodes in one JVM form one cluster; a node that is stopped and restarted rejoins it. */
class EmbeddedClusterIT {
    @TempDir
    Path dir;

    @Test
    void threeNodesFormOneClusterAndARestartedNodeRejoins() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3)) {
            // Then Kafka's admin client sees three brokers and a controller among them
            String clusterId;
            try (Admin admin = cluster.admin()) {
                DescribeClusterResult described = admin.describeCluster();
                assertThat(described.nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                        .containsExactlyInAnyOrder(1, 2, 3);
                assertThat(described.controller().get(30, TimeUnit.SECONDS).id()).isIn(1, 2, 3);
                clusterId = described.clusterId().get(30, TimeUnit.SECONDS);
                assertThat(clusterId).isNotBlank();

                // And an RF=3 topic lists all three replicas on every partition
                admin.createTopics(List.of(new NewTopic("rf3", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
                // (the broker answering may apply the new metadata a moment after the controller committed it)
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    TopicDescription topic = admin.describeTopics(List.of("rf3")).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get("rf3");
                    assertThat(topic.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.replicas())
                            .extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3));
                });
            }
            assertThat(cluster.awaitLeader("rf3", 0)).isIn(1, 2, 3);

            // And every node kept the agreed cluster id in meta.properties, readable by Kafka's own loader
            for (int id : cluster.nodeIds()) {
                String metadataDir = cluster.logDir(id).resolve("__samsa_metadata").toString();
                MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                        .addLogDirs(List.of(cluster.logDir(id).toString())).addMetadataLogDir(metadataDir).load();
                ensemble.verify(Optional.of(clusterId), OptionalInt.of(id), EnumSet.of(
                        VerificationFlag.REQUIRE_METADATA_LOG_DIR, VerificationFlag.REQUIRE_AT_LEAST_ONE_VALID));
                assertThat(ensemble.logDirProps().get(metadataDir).clusterId()).contains(clusterId);
                MetaProperties meta = ensemble.logDirProps().get(cluster.logDir(id).toString());
                assertThat(meta.clusterId()).contains(clusterId);
                assertThat(meta.nodeId()).hasValue(id);
                assertThat(meta.directoryId()).isPresent();
            }

            // When node 2 stops cleanly and starts again on its ports and data
            cluster.stop(2);
            assertThat(cluster.liveNodeIds()).containsExactlyInAnyOrder(1, 3);
            cluster.restart(2);

            // Then it rejoined: asked alone, it knows the cluster, its brokers and the topic made before
            try (Admin admin = Clients.admin(cluster.bootstrapServers(2))) {
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id)
                                .containsExactlyInAnyOrder(1, 2, 3));
                Set<Integer> replicas = admin.describeTopics(List.of("rf3")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("rf3").partitions().stream()
                        .map(TopicPartitionInfo::replicas).flatMap(List::stream).map(Node::id)
                        .collect(Collectors.toSet());
                assertThat(replicas).containsExactlyInAnyOrder(1, 2, 3);
            }
            assertThat(cluster.broker(2).config().nodeId()).isEqualTo(2);
        }
    }
}
