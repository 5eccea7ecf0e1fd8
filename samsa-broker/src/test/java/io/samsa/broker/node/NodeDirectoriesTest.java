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
    void aBrokerOnlyNodeIsRefusedWithOneLine() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("process.roles", "broker", "node.id", "4",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", "1@localhost:9093"));
        assertThatThrownBy(config::requireSupportedRoles)
                .hasMessageContaining("Samsa cannot run a broker-only node yet (node 4 outside controller.quorum.voters)");
    }
}
