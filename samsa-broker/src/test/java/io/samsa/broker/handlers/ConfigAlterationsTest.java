package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.metadata.ConfigResource;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

class ConfigAlterationsTest {
    private static final ConfigResource TOPIC = ConfigResource.topic("t");

    @Test
    void appendAndSubtractWorkOnListKeysFromTheirDefault() {
        assertThat(ConfigAlterations.appendOrSubtract(TOPIC, Map.of(), "cleanup.policy", "compact", true))
                .isEqualTo("delete,compact");
        assertThat(ConfigAlterations.appendOrSubtract(TOPIC, Map.of("cleanup.policy", "delete,compact"),
                "cleanup.policy", "delete", false)).isEqualTo("compact");
        assertThat(ConfigAlterations.appendOrSubtract(TOPIC, Map.of("cleanup.policy", "compact"),
                "cleanup.policy", "compact", true)).isEqualTo("compact");
    }

    @Test
    void appendToANonListKeyIsAnInvalidConfig() {
        assertThatThrownBy(() -> ConfigAlterations.appendOrSubtract(TOPIC, Map.of(), "retention.ms", "1", true))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Can't APPEND to key retention.ms because its type is not LIST.");
        assertThatThrownBy(() -> ConfigAlterations.appendOrSubtract(TOPIC, Map.of(), "no.such.key", "1", false))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void duplicateKeysAndMissingValuesAreInvalidRequests() {
        assertThatThrownBy(() -> ConfigAlterations.checkKeys(List.of("a", "a"), List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessage("Error due to duplicate config keys");
        assertThatThrownBy(() -> ConfigAlterations.checkKeys(List.of("a"), List.of("a")))
                .isInstanceOf(InvalidRequestException.class).hasMessage("Null value not supported for : a");
    }
}
