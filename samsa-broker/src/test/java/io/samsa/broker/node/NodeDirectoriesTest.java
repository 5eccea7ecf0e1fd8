package io.samsa.broker.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeDirectoriesTest {
    @TempDir
    Path dir;

    private BrokerConfig config(int nodeId) {
        return BrokerConfig.fromProperties(Map.of("node.id", Integer.toString(nodeId),
                "log.dirs", dir.resolve("a") + "," + dir.resolve("b"), "metadata.log.dir", dir.resolve("meta").toString()));
    }

    @Test
    void missingFilesAreWrittenInKafkasFormatWithOneDirectoryIdEach() throws Exception {
        // Given three directories without meta.properties
        NodeDirectories directories = NodeDirectories.check(config(3));

        // When the quorum agreed on a cluster id
        directories.agree("MkU3OEVBNTcwNTJENDM2Qg");

        // Then every directory has the file, same cluster and node, distinct directory ids
        for (String name : new String[] {"a", "b", "meta"}) {
            String text = Files.readString(dir.resolve(name).resolve("meta.properties"));
            assertThat(text).contains("version=1", "cluster.id=MkU3OEVBNTcwNTJENDM2Qg", "node.id=3", "directory.id=");
        }
        assertThat(MetaProperties.read(dir.resolve("a")).orElseThrow().directoryId())
                .hasSize(22)
                .isNotEqualTo(MetaProperties.read(dir.resolve("b")).orElseThrow().directoryId());

        // And a second start keeps them unchanged
        MetaProperties before = MetaProperties.read(dir.resolve("a")).orElseThrow();
        NodeDirectories.check(config(3)).agree("MkU3OEVBNTcwNTJENDM2Qg");
        assertThat(MetaProperties.read(dir.resolve("a")).orElseThrow()).isEqualTo(before);
    }

    @Test
    void aDirectoryOfAnotherClusterStopsTheStartNamingBothIdsAndTheDirectory() throws Exception {
        NodeDirectories.check(config(3)).agree("clusterAAAAAAAAAAAAAAAA");

        NodeDirectories again = NodeDirectories.check(config(3));
        assertThatThrownBy(() -> again.agree("clusterBBBBBBBBBBBBBBBB"))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("cluster.id=clusterAAAAAAAAAAAAAAAA")
                .hasMessageContaining("cluster id is clusterBBBBBBBBBBBBBBBB")
                .hasMessageContaining(dir.resolve("a").resolve("meta.properties").toString());
    }

    @Test
    void aDirectoryOfAnotherNodeStopsTheStartBeforeAnythingRuns() throws Exception {
        NodeDirectories.check(config(3)).agree("clusterAAAAAAAAAAAAAAAA");

        assertThatThrownBy(() -> NodeDirectories.check(config(4)))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("has node.id=3 but the configuration has node.id=4")
                .hasMessageContaining(dir.resolve("a").resolve("meta.properties").toString());
    }

    @Test
    void twoDirectoriesOfDifferentClustersAreRefused() throws Exception {
        new MetaProperties("clusterAAAAAAAAAAAAAAAA", 3, null).write(dir.resolve("a"));
        new MetaProperties("clusterBBBBBBBBBBBBBBBB", 3, null).write(dir.resolve("b"));

        assertThatThrownBy(() -> NodeDirectories.check(config(3)))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining("clusterAAAAAAAAAAAAAAAA").hasMessageContaining("clusterBBBBBBBBBBBBBBBB");
    }

    @Test
    void aBrokerOnlyNodeKeepsItsIdentityInTheFirstLogDirAsKafkasMetadataLogDirDefault() throws Exception {
        // Given a broker-only node (outside controller.quorum.voters) without metadata.log.dir
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("process.roles", "broker", "node.id", "4",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", "1@localhost:9093",
                "listeners", "PLAINTEXT://localhost:9092",
                "log.dirs", dir.resolve("a") + "," + dir.resolve("b")));
        assertThat(config.metadataLogDir()).isEqualTo(dir.resolve("a"));

        // When the quorum's cluster id is known
        NodeDirectories.check(config).agree("MkU3OEVBNTcwNTJENDM2Qg");

        // Then each log dir has one meta.properties and no metadata directory of its own was made
        assertThat(NodeDirectories.directories(config)).containsExactly(dir.resolve("a"), dir.resolve("b"));
        assertThat(MetaProperties.read(dir.resolve("a")).orElseThrow().nodeId()).isEqualTo(4);
        assertThat(MetaProperties.read(dir.resolve("b")).orElseThrow().clusterId()).isEqualTo("MkU3OEVBNTcwNTJENDM2Qg");
        assertThat(dir.resolve("a").resolve("__samsa_metadata")).doesNotExist();
    }
}
