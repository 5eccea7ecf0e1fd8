package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code config/server.properties}, the documented single-node file of the release tarball: every key in it, set or
 * commented out, is one Samsa knows, with a valid value; the set keys are ones Samsa acts on and show the defaults
 * except where the file says why not.
 */
class ServerPropertiesTest {
    private static final Path FILE = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("config/server.properties");
    private static final Pattern COMMENTED_KEY = Pattern.compile("^#([a-z][a-z0-9._-]+)=(.*)$");
    /** Set keys whose value is not the default on purpose (a single node; a quicker first rebalance). */
    private static final Set<String> NOT_DEFAULT = Set.of("offsets.topic.replication.factor",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
            "group.initial.rebalance.delay.ms", "log.dirs");

    @Test
    void theFileLoadsWithOnlyKeysSamsaActsOn() {
        Map<String, String> props = PropertiesLoader.load(FILE, List.of());

        assertThat(BrokerConfigDefs.DEF.unknownKeys(props)).isEmpty();
        assertThat(props.keySet()).allSatisfy(key ->
                assertThat(BrokerConfigDefs.DEF.key(key).orElseThrow().used()).as(key).isTrue());
        BrokerConfig config = BrokerConfig.fromProperties(props);
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(props).containsEntry("http.listeners", "http://localhost:9644");
    }

    @Test
    void theSetValuesAreTheDefaultsExceptWhereTheFileSaysWhy() {
        Map<String, String> props = PropertiesLoader.load(FILE, List.of());

        props.forEach((key, text) -> {
            if (!NOT_DEFAULT.contains(key)) {
                ConfigKey def = BrokerConfigDefs.DEF.key(key).orElseThrow();
                assertThat(def.parse(text)).as(key).isEqualTo(def.defaultValue());
            }
        });
    }

    @Test
    void everyCommentedOutKeyIsKnownAndValid() throws Exception {
        Map<String, String> commented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(FILE)) {
            Matcher m = COMMENTED_KEY.matcher(line);
            if (m.matches()) {
                commented.put(m.group(1), m.group(2));
            }
        }

        assertThat(commented).containsKeys("advertised.listeners", "log.retention.bytes", "compression.type");
        commented.forEach((key, text) ->
                assertThat(BrokerConfigDefs.DEF.key(key)).as(key).hasValueSatisfying(def -> def.parse(text)));
    }
}
