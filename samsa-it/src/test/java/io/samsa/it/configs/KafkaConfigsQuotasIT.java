package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.SamsaExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client quotas managed with Apache Kafka 4.3.1's kafka-configs ({@code --entity-type users|clients|ips}) and the
 * Admin client (AlterClientQuotas / DescribeClientQuotas), stored in the metadata log: they survive a restart.
 */
class KafkaConfigsQuotasIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static Tools.Result kafkaConfigs(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return Tools.run(samsa.dir(), "kafka.admin.ConfigCommand", all);
    }

    @Test
    void kafkaConfigsAddsDescribesAndDeletesUserAndClientQuotasThatSurviveARestart() throws Exception {
        // When quotas are added for a user, a client id, a user+client pair and the defaults
        assertThat(kafkaConfigs("--alter", "--add-config", "producer_byte_rate=1024", "--entity-type", "users",
                "--entity-name", "alice").output()).contains("Completed updating config for user alice.");
        assertThat(kafkaConfigs("--alter", "--add-config", "consumer_byte_rate=2048,request_percentage=50",
                "--entity-type", "clients", "--entity-name", "c1").output())
                .contains("Completed updating config for client c1.");
        assertThat(kafkaConfigs("--alter", "--add-config", "producer_byte_rate=4096", "--entity-type", "users",
                "--entity-name", "alice", "--entity-type", "clients", "--entity-name", "c1").exitCode()).isZero();
        assertThat(kafkaConfigs("--alter", "--add-config", "controller_mutation_rate=10", "--entity-type", "users",
                "--entity-default").output()).contains("Completed updating default config for users in the cluster.");
        assertThat(kafkaConfigs("--alter", "--add-config", "consumer_byte_rate=100000", "--entity-type", "clients",
                "--entity-default").exitCode()).isZero();
        assertThat(kafkaConfigs("--alter", "--add-config", "connection_creation_rate=10", "--entity-type", "ips",
                "--entity-name", "127.0.0.1").output()).contains("Completed updating config for ip 127.0.0.1.");

        // Then kafka-configs --describe shows them, with Kafka's wording
        assertThat(kafkaConfigs("--describe", "--entity-type", "users", "--entity-name", "alice").output())
                .contains("Quota configs for user-principal 'alice' are producer_byte_rate=1024.0");
        assertThat(kafkaConfigs("--describe", "--entity-type", "clients", "--entity-name", "c1").output())
                .contains("Quota configs for client-id 'c1' are")
                .contains("consumer_byte_rate=2048.0").contains("request_percentage=50.0");
        assertThat(kafkaConfigs("--describe", "--entity-type", "users", "--entity-name", "alice",
                "--entity-type", "clients", "--entity-name", "c1").output())
                .contains("Quota configs for user-principal 'alice', client-id 'c1' are producer_byte_rate=4096.0");
        assertThat(kafkaConfigs("--describe", "--entity-type", "users", "--entity-default").output())
                .contains("Quota configs for the default user-principal are controller_mutation_rate=10.0");
        String allClients = kafkaConfigs("--describe", "--entity-type", "clients").output();
        assertThat(allClients).contains("Quota configs for the default client-id are consumer_byte_rate=100000.0")
                .contains("Quota configs for client-id 'c1' are");
        assertThat(kafkaConfigs("--describe", "--entity-type", "ips", "--entity-name", "127.0.0.1").output())
                .contains("Quota configs for ip '127.0.0.1' are connection_creation_rate=10.0");

        // When one key is deleted
        assertThat(kafkaConfigs("--alter", "--delete-config", "request_percentage", "--entity-type", "clients",
                "--entity-name", "c1").exitCode()).isZero();
        // Then it is gone and the others stay, also after a restart (the metadata log)
        samsa.get().restart();
        String c1 = kafkaConfigs("--describe", "--entity-type", "clients", "--entity-name", "c1").output();
        assertThat(c1).contains("consumer_byte_rate=2048.0").doesNotContain("request_percentage");
        assertThat(kafkaConfigs("--describe", "--entity-type", "users", "--entity-name", "alice").output())
                .contains("producer_byte_rate=1024.0");
        assertThat(kafkaConfigs("--describe", "--entity-type", "users", "--entity-default").output())
                .contains("controller_mutation_rate=10.0");
    }

    @Test
    void invalidValuesAreRefusedWithKafkasMessages() throws Exception {
        Tools.Result negative = kafkaConfigs("--alter", "--add-config", "producer_byte_rate=-1", "--entity-type",
                "users", "--entity-name", "bob");
        assertThat(negative.exitCode()).isNotZero();
        assertThat(negative.output()).contains("InvalidRequestException: Quota producer_byte_rate must be greater than 0");
        Tools.Result fractional = kafkaConfigs("--alter", "--add-config", "producer_byte_rate=1.5", "--entity-type",
                "users", "--entity-name", "bob");
        assertThat(fractional.output()).contains("producer_byte_rate cannot be a fractional value.");

        try (Admin admin = samsa.get().admin()) {
            ClientQuotaEntity bob = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "bob"));
            // validate_only checks without storing
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(bob,
                    List.of(new ClientQuotaAlteration.Op("request_percentage", 10.0)))),
                    new AlterClientQuotasOptions().validateOnly(true)).all().get();
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).doesNotContainKey(bob);
            // an unknown key for the entity type
            var unknownKey = admin.alterClientQuotas(List.of(new ClientQuotaAlteration(bob,
                    List.of(new ClientQuotaAlteration.Op("connection_creation_rate", 10.0))))).all();
            org.assertj.core.api.Assertions.assertThatThrownBy(unknownKey::get)
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Invalid configuration key connection_creation_rate");
        }
    }
}
