package io.samsa.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.metadata.QuotaChange;
import io.samsa.metadata.QuotaEntity;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** Kafka 4.3's AlterClientQuotas checks and messages (compared with the reference broker via kafka-configs). */
class QuotaValidationTest {

    private static QuotaEntity entity(String... typeName) {
        List<java.util.Map.Entry<String, String>> components = new java.util.ArrayList<>();
        for (int i = 0; i < typeName.length; i += 2) {
            components.add(new SimpleImmutableEntry<>(typeName[i], typeName[i + 1]));
        }
        return QuotaValidation.entity(components);
    }

    private static List<QuotaChange> set(QuotaEntity entity, String key, double value) {
        return QuotaValidation.changes(entity, List.of(new QuotaValidation.Op(key, value, false)), Map.of());
    }

    @Test
    void entities() {
        assertThat(entity("user", "alice", "client-id", null).entries()).containsEntry("client-id", null);
        assertThat(entity("ip", "127.0.0.1").entries()).containsEntry("ip", "127.0.0.1");
        assertThatThrownBy(() -> entity()).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid empty client quota entity");
        assertThatThrownBy(() -> entity("group", "g")).hasMessage("Unhandled client quota entity type: group");
        assertThatThrownBy(() -> entity("user", "")).hasMessage("Empty user not supported");
        assertThatThrownBy(() -> entity("user", "a", "user", "b"))
                .hasMessage("Invalid empty client quota entity, duplicate entity entry user");
        assertThatThrownBy(() -> entity("user", "a", "ip", "1.2.3.4"))
                .hasMessage("Invalid empty client quota entity");
        assertThatThrownBy(() -> entity("ip", "no-such-host.invalid"))
                .hasMessage("no-such-host.invalid is not a valid IP or resolvable host.");
    }

    @Test
    void values() {
        QuotaEntity user = entity("user", "alice");
        assertThat(set(user, "producer_byte_rate", 1024)).containsExactly(
                new QuotaChange(user, "producer_byte_rate", 1024.0));
        assertThat(set(user, "request_percentage", 0.5)).hasSize(1);
        assertThatThrownBy(() -> set(user, "producer_byte_rate", -1))
                .hasMessage("Quota producer_byte_rate must be greater than 0");
        assertThatThrownBy(() -> set(user, "producer_byte_rate", 0))
                .hasMessage("Quota producer_byte_rate must be greater than 0");
        assertThatThrownBy(() -> set(user, "producer_byte_rate", 1.5))
                .hasMessage("producer_byte_rate cannot be a fractional value.");
        assertThatThrownBy(() -> set(user, "connection_creation_rate", 5))
                .hasMessage("Invalid configuration key connection_creation_rate");
        QuotaEntity ip = entity("ip", null);
        assertThat(set(ip, "connection_creation_rate", 5)).hasSize(1);
        assertThatThrownBy(() -> set(ip, "connection_creation_rate", 1.5))
                .hasMessage("connection_creation_rate cannot be a fractional value.");
        assertThatThrownBy(() -> set(ip, "producer_byte_rate", 5))
                .hasMessage("Invalid configuration key producer_byte_rate");
        assertThatThrownBy(() -> QuotaValidation.changes(user, List.of(new QuotaValidation.Op("a", 1, false),
                new QuotaValidation.Op("a", 2, false)), Map.of())).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Duplicate quota key a not updating quota for this entity");
    }

    @Test
    void onlyRealChangesAreWritten() {
        QuotaEntity user = entity("user", "alice");
        Map<String, Double> current = Map.of("producer_byte_rate", 1024.0);
        List<QuotaChange> changes = QuotaValidation.changes(user, List.of(
                new QuotaValidation.Op("producer_byte_rate", 1024, false),   // unchanged
                new QuotaValidation.Op("consumer_byte_rate", 0, true),       // absent: nothing to remove
                new QuotaValidation.Op("request_percentage", 10, false)), current);
        assertThat(changes).containsExactly(new QuotaChange(user, "request_percentage", 10.0));
        assertThat(QuotaValidation.changes(user, List.of(new QuotaValidation.Op("producer_byte_rate", 0, true)),
                current)).containsExactly(new QuotaChange(user, "producer_byte_rate", null));
    }
}
