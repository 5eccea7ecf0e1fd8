package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kafka 4.3's process.roles rules and the cluster keys' defaults. */
class ProcessRolesTest {
    private static final String VOTERS = "1@localhost:9093,2@localhost:9094,3@localhost:9095";

    private static BrokerConfig config(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.fromProperties(props);
    }

    @Test
    void clusterKeysHaveKafkasDefaults() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.processRoles()).isEqualTo(Set.of("broker", "controller"));
        assertThat(config.isBroker()).isTrue();
        assertThat(config.isController()).isTrue();
        assertThat(config.rack()).isNull();
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.uncleanLeaderElectionEnable()).isFalse();
        assertThat(config.replicaLagTimeMaxMs()).isEqualTo(30_000L);
        assertThat(config.brokerSessionTimeoutMs()).isEqualTo(9000);
        assertThat(config.brokerHeartbeatIntervalMs()).isEqualTo(2000);
        assertThat(config.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.replicaFetchMaxBytes()).isEqualTo(1_048_576);
        assertThat(config.replicaFetchResponseMaxBytes()).isEqualTo(10_485_760);
        assertThat(config.replicaFetchWaitMaxMs()).isEqualTo(500);
        assertThat(config.replicaFetchMinBytes()).isEqualTo(1);
        assertThat(config.replicaFetchBackoffMs()).isEqualTo(1000);
        assertThat(config.replicaSocketTimeoutMs()).isEqualTo(30_000);
        assertThat(config.numReplicaFetchers()).isEqualTo(1);
        assertThat(config.replicaSelectorClass()).isNull();
    }

    @Test
    void offsetsTopicReplicationIsOneOnlyForAZeroConfigSingleNode() {
        assertThat(BrokerConfig.defaults().offsetsTopicReplicationFactor()).isEqualTo((short) 1);
        assertThat(config("offsets.topic.replication.factor", "2").offsetsTopicReplicationFactor()).isEqualTo((short) 2);
        assertThat(config("node.id", "1", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS)
                .offsetsTopicReplicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void aCombinedClusterNodeNeedsItsControllerListener() {
        BrokerConfig config = config("node.id", "2", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9094",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS, "broker.rack", "r2",
                "inter.broker.listener.name", "plaintext");
        assertThat(config.listeners()).extracting(BrokerConfig.Listener::name).containsExactly("PLAINTEXT");
        assertThat(config.rack()).isEqualTo("r2");
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");

        assertThatThrownBy(() -> config("node.id", "2", "controller.quorum.voters", VOTERS))
                .hasMessageContaining("controller.listener.names must contain at least one value appearing in the "
                        + "'listeners' configuration when running the KRaft controller role");
        assertThatThrownBy(() -> config("node.id", "2", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9094",
                "controller.listener.names", "CONTROLLER,OTHER", "controller.quorum.voters", VOTERS))
                .hasMessageContaining("controller.listener.names must only contain values appearing in the 'listeners'");
        assertThatThrownBy(() -> config("node.id", "4", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9094",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS))
                .hasMessageContaining("If process.roles contains the 'controller' role, the node id 4 must be "
                        + "included in the set of voters controller.quorum.voters=[1, 2, 3]");
        assertThatThrownBy(() -> config("node.id", "2", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9094",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS,
                "inter.broker.listener.name", "INTERNAL"))
                .hasMessageContaining("inter.broker.listener.name must be a listener name defined in "
                        + "advertised.listeners. The valid options based on currently configured listeners are PLAINTEXT");
    }

    @Test
    void aBrokerOnlyNodeIsNotAVoterAndHasNoControllerListener() {
        BrokerConfig config = config("process.roles", "broker", "node.id", "4", "listeners", "PLAINTEXT://:9092",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS);
        assertThat(config.isController()).isFalse();

        assertThatThrownBy(() -> config("process.roles", "broker", "node.id", "1", "listeners", "PLAINTEXT://:9092",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS))
                .hasMessageContaining("If process.roles contains just the 'broker' role, the node id 1 must not be "
                        + "included in the set of voters");
        assertThatThrownBy(() -> config("process.roles", "broker", "node.id", "4", "listeners", "PLAINTEXT://:9092",
                "controller.quorum.voters", VOTERS))
                .hasMessageContaining("controller.listener.names must contain at least one value when running KRaft "
                        + "with just the broker role");
        assertThatThrownBy(() -> config("process.roles", "broker", "node.id", "4",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", VOTERS))
                .hasMessageContaining("controller.listener.names must not contain a value appearing in the "
                        + "'listeners' configuration when running KRaft with just the broker role");
    }

    @Test
    void aControllerOnlyNodeHasNoClientListener() {
        BrokerConfig config = config("process.roles", "controller", "node.id", "1", "listeners", "CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER", "controller.quorum.voters", VOTERS);
        assertThat(config.isBroker()).isFalse();
        assertThat(config.listeners()).isEmpty();
        assertThat(config.interBrokerListenerName()).isNull();

        assertThatThrownBy(() -> config("process.roles", "controller", "node.id", "1",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", VOTERS))
                .hasMessageContaining("The listeners config must only contain KRaft controller listeners from "
                        + "controller.listener.names when process.roles=controller");
        assertThatThrownBy(() -> config("process.roles", "controller,controller"))
                .hasMessageContaining("must not be duplicated");
    }

    @Test
    void replicaSocketTimeoutCoversTheFetchWait() {
        assertThatThrownBy(() -> config("replica.fetch.wait.max.ms", "40000"))
                .hasMessageContaining("replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms");
    }

    @Test
    void theReadmesThreeNodeFilesAreOneClusterOfCombinedNodes() {
        for (int id = 1; id <= 3; id++) {
            BrokerConfig config = BrokerConfig.load(Path.of("../config/cluster/node" + id + ".properties"), List.of());
            assertThat(config.nodeId()).isEqualTo(id);
            assertThat(config.processRoles()).containsExactlyInAnyOrder("broker", "controller");
            assertThat(config.controllerQuorumVoters()).containsOnlyKeys(1, 2, 3);
            assertThat(config.listeners()).singleElement().extracting(BrokerConfig.Listener::port)
                    .isEqualTo(9092 + 2 * (id - 1));
            assertThat(config.controllerQuorumVoters().get(id)).isEqualTo("127.0.0.1:" + (9093 + 2 * (id - 1)));
            assertThat(config.offsetsTopicReplicationFactor()).isEqualTo((short) 3);
            assertThat(config.unknownKeys()).isEmpty();
        }
    }
}
