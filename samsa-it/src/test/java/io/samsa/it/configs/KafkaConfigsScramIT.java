package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.samsa.broker.security.ScramCredentialStore;
import io.samsa.it.SamsaExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Kafka 4.3.1's {@code kafka-configs} (ConfigCommand) managing SCRAM credentials on Samsa
 * ({@code --entity-type users}, {@code --add-config 'SCRAM-SHA-256=[iterations=N,password=P]'},
 * {@code --delete-config SCRAM-SHA-256}, {@code --describe}); checked with the Admin API and the stored credential.
 */
class KafkaConfigsScramIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static Tools.Result kafkaConfigs(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return Tools.run(samsa.dir(), "kafka.admin.ConfigCommand", all);
    }

    private static Map<String, List<String>> describeAll() throws Exception {
        try (Admin admin = samsa.get().admin()) {
            return admin.describeUserScramCredentials().all().get().values().stream().collect(Collectors.toMap(
                    UserScramCredentialsDescription::name, d -> d.credentialInfos().stream()
                            .map(i -> i.mechanism().mechanismName() + ":" + i.iterations()).sorted().toList()));
        }
    }

    @Test
    void kafkaConfigsAddsAndDeletesScramCredentials() throws Exception {
        // When alice's SCRAM-SHA-256 credential is added with Kafka's tool
        Tools.Result added = kafkaConfigs("--alter", "--add-config",
                "SCRAM-SHA-256=[iterations=8192,password=alice-secret]", "--entity-type", "users",
                "--entity-name", "kc-alice");
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).contains("Completed updating config for user kc-alice.");

        // Then the broker has it, salted with 8192 iterations, proving alice-secret
        assertThat(describeAll()).containsEntry("kc-alice", List.of("SCRAM-SHA-256:8192"));
        var stored = ScramCredentialStore.credential(samsa.get().broker().metadataImage(), "kc-alice",
                ScramMechanism.SCRAM_SHA_256).orElseThrow();
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
        byte[] salted = formatter.saltedPassword("alice-secret", stored.salt(), 8192);
        assertThat(stored.storedKey()).isEqualTo(formatter.storedKey(formatter.clientKey(salted)));

        // When it is deleted, it is gone; deleting it again fails with Kafka's error
        Tools.Result deleted = kafkaConfigs("--alter", "--delete-config", "SCRAM-SHA-256", "--entity-type", "users",
                "--entity-name", "kc-alice");
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        assertThat(describeAll()).doesNotContainKey("kc-alice");
        Tools.Result again = kafkaConfigs("--alter", "--delete-config", "SCRAM-SHA-256", "--entity-type", "users",
                "--entity-name", "kc-alice");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.output()).contains("ResourceNotFoundException")
                .contains("Attempt to delete a user credential that does not exist");
    }

    @Test
    void kafkaConfigsGetsKafkasValidationErrors() throws Exception {
        Tools.Result many = kafkaConfigs("--alter", "--add-config", "SCRAM-SHA-512=[iterations=20000,password=pw]",
                "--entity-type", "users", "--entity-name", "kc-many");
        assertThat(many.exitCode()).isNotZero();
        assertThat(many.output()).contains("UnacceptableCredentialException: Too many iterations");

        Tools.Result both = kafkaConfigs("--alter", "--add-config",
                "SCRAM-SHA-256=[password=a],SCRAM-SHA-512=[password=b]", "--entity-type", "users",
                "--entity-name", "kc-both");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.output()).contains("DuplicateResourceException")
                .contains("A user credential cannot be altered twice in the same request");
        assertThat(describeAll()).doesNotContainKeys("kc-many", "kc-both");
    }

    /**
     * {@code kafka-configs --describe --entity-type users} first describes the users' client quotas
     * (DescribeClientQuotas), then their SCRAM credentials: it needs the quotas API too.
     */
    @Test
    void kafkaConfigsDescribesScramCredentials() throws Exception {
        var versions = (ApiVersionsResponse) RawClient.send(samsa.get().bootstrapServers(),
                new ApiVersionsRequest.Builder().build(ApiKeys.API_VERSIONS.latestVersion()));
        assumeTrue(versions.apiVersion(ApiKeys.DESCRIBE_CLIENT_QUOTAS.id) != null,
                "kafka-configs --describe --entity-type users needs DescribeClientQuotas (client quotas)");
        assertThat(kafkaConfigs("--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=alice-secret]",
                "--entity-type", "users", "--entity-name", "kc-desc").exitCode()).isZero();
        assertThat(kafkaConfigs("--alter", "--add-config", "SCRAM-SHA-512=[password=other]",
                "--entity-type", "users", "--entity-name", "kc-desc").exitCode()).isZero();

        Tools.Result all = kafkaConfigs("--describe", "--entity-type", "users");
        Tools.Result one = kafkaConfigs("--describe", "--entity-type", "users", "--entity-name", "kc-desc");

        assertThat(all.exitCode()).as(all.output()).isZero();
        assertThat(all.output()).contains("SCRAM credential configs for user-principal 'kc-desc' are "
                + "SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096");
        assertThat(one.exitCode()).as(one.output()).isZero();
        assertThat(one.output()).contains("SCRAM credential configs for user-principal 'kc-desc' are "
                + "SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096");
    }
}
