package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefTest {

    @Test
    void everyDefaultPassesItsOwnValidator() {
        for (ConfigDef def : List.of(BrokerConfigDefs.DEF, TopicConfigDefs.DEF)) {
            for (ConfigKey key : def.keys().values()) {
                if (key.defaultValue() != null && key.validator() != null) {
                    key.validator().ensureValid(key.name(), key.defaultValue());
                }
                assertThat(key.doc()).as(key.name()).isNotBlank();
            }
        }
    }

    @Test
    void parsingFillsDefaultsAndRemembersExplicitKeys() {
        // Given
        ConfigDef def = new ConfigDef()
                .define("a.int", ConfigType.INT, 5, Validators.atLeast(1), ConfigKey.Importance.HIGH, "A.")
                .define("a.list", ConfigType.LIST, List.of("x"), null, ConfigKey.Importance.LOW, "B.")
                .accept("a.long", ConfigType.LONG, null, null, ConfigKey.Importance.LOW, "C.");

        // When
        ConfigValues values = def.parse(Map.of("a.int", " 7 ", "a.list", " p ,q", "other", "1"));

        // Then
        assertThat(values.getInt("a.int")).isEqualTo(7);
        assertThat(values.getList("a.list")).containsExactly("p", "q");
        assertThat(values.getLong("a.long")).isNull();
        assertThat(values.explicitKeys()).containsExactlyInAnyOrder("a.int", "a.list");
        assertThat(def.unknownKeys(Map.of("a.int", "1", "other", "1"))).containsExactly("other");
        assertThat(def.key("a.long")).hasValueSatisfying(key -> assertThat(key.used()).isFalse());
        assertThatThrownBy(() -> values.get("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyCannotBeDefinedTwice() {
        ConfigDef def = new ConfigDef().define("k", ConfigType.STRING, "", null, ConfigKey.Importance.LOW, "K.");
        assertThatThrownBy(() -> def.define("k", ConfigType.INT, 1, null, ConfigKey.Importance.LOW, "K."))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void typesParseLikeKafka() {
        assertThat(ConfigType.BOOLEAN.parse("k", " TRUE ")).isEqualTo(true);
        assertThat(ConfigType.SHORT.parse("k", "3")).isEqualTo((short) 3);
        assertThat(ConfigType.DOUBLE.parse("k", "0.25")).isEqualTo(0.25);
        assertThat(ConfigType.LIST.parse("k", "  ")).isEqualTo(List.of());
        assertThat(ConfigType.STRING.parse("k", " v ")).isEqualTo("v");
        assertThatThrownBy(() -> ConfigType.SHORT.parse("k", "40000"))
                .hasMessage("Invalid value 40000 for configuration k: Not a number of type SHORT");
        assertThatThrownBy(() -> ConfigType.LONG.parse("k", "1.5"))
                .hasMessage("Invalid value 1.5 for configuration k: Not a number of type LONG");
    }
}
