package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.broker.security.ScramCredentialStore;
import io.samsa.it.EmbeddedCluster;
import io.samsa.it.configs.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM credentials in a three-node cluster: altered through a node that is not the metadata leader (the write is
 * forwarded to the quorum), then described by every node from its own replicated image.
 */
class ClusterScramIT {
    @TempDir
    Path dir;

    private static Map<String, Short> alter(String bootstrap, AlterUserScramCredentialsRequestData request)
            throws Exception {
        var response = (AlterUserScramCredentialsResponse) RawClient.send(bootstrap,
                new AlterUserScramCredentialsRequest.Builder(request).build());
        return response.data().results().stream().collect(Collectors.toMap(r -> r.user(), r -> r.errorCode()));
    }

    /** user -> "mechanism:iterations" as node {@code bootstrap} describes every user. */
    private static Map<String, List<String>> describe(String bootstrap) throws Exception {
        var response = (DescribeUserScramCredentialsResponse) RawClient.send(bootstrap,
                new DescribeUserScramCredentialsRequest.Builder(new DescribeUserScramCredentialsRequestData())
                        .build());
        return response.data().results().stream().collect(Collectors.toMap(
                DescribeUserScramCredentialsResult::user, r -> r.credentialInfos().stream()
                        .map(i -> i.mechanism() + ":" + i.iterations()).toList()));
    }

    @Test
    void credentialsWrittenThroughAFollowerReachEveryNode() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3)) {
            int leader = cluster.broker(1).metadataImage().controllerId();
            List<Integer> followers = cluster.nodeIds().stream().filter(id -> id != leader).sorted().toList();
            ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_512);
            byte[] salt = formatter.secureRandomBytes();
            byte[] salted = formatter.saltedPassword("cluster-secret", salt, 8192);

            // When a follower receives the upsertion
            Map<String, Short> upserted = alter(cluster.bootstrapServers(followers.get(0)),
                    new AlterUserScramCredentialsRequestData().setUpsertions(List.of(new ScramCredentialUpsertion()
                            .setName("cl-alice").setMechanism((byte) 2).setIterations(8192).setSalt(salt)
                            .setSaltedPassword(salted))));

            // Then every node describes it and stores the same keys
            assertThat(upserted).containsExactly(Map.entry("cl-alice", Errors.NONE.code()));
            for (int id : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        describe(cluster.bootstrapServers(id))).containsEntry("cl-alice", List.of("2:8192")));
                var stored = ScramCredentialStore.credential(
                        cluster.broker(id).metadataImage(), "cl-alice", ScramMechanism.SCRAM_SHA_512).orElseThrow();
                assertThat(stored.salt()).isEqualTo(salt);
                assertThat(stored.storedKey()).isEqualTo(formatter.storedKey(formatter.clientKey(salted)));
                assertThat(stored.serverKey()).isEqualTo(formatter.serverKey(salted));
            }

            // When another follower deletes it, then it is gone everywhere
            Map<String, Short> deleted = alter(cluster.bootstrapServers(followers.get(1)),
                    new AlterUserScramCredentialsRequestData().setDeletions(List.of(new ScramCredentialDeletion()
                            .setName("cl-alice").setMechanism((byte) 2))));
            assertThat(deleted).containsExactly(Map.entry("cl-alice", Errors.NONE.code()));
            for (int id : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        describe(cluster.bootstrapServers(id))).doesNotContainKey("cl-alice"));
            }
        }
    }
}
