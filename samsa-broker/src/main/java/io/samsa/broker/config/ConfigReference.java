package io.samsa.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Renders {@code docs/configuration.md}, the configuration reference, from the definitions themselves:
 * {@link BrokerConfigDefs#DEF} (with the chained cluster, TLS, SASL, authorizer and accepted keys) and
 * {@link TopicConfigDefs#DEF}. Every key with its type, default, valid values ({@link Validator#describe}), importance,
 * whether it can change at run time ({@link DynamicBrokerConfigs#DYNAMIC_KEYS}), its meaning and where Samsa differs
 * from Kafka (keys accepted but not used, and the defaults of ADR 0003). {@code ConfigReferenceTest} regenerates the
 * page and compares it with the committed file, so the page never drifts from the code.
 *
 * <p>Run {@code ./samsa config-reference} (or this class's {@code main} with the output path) after changing a
 * definition. Pure and thread-safe.
 */
public final class ConfigReference {
    /** The command that regenerates the page, for the test's failure message. */
    public static final String REGENERATE = "./samsa config-reference";

    /**
     * Where Samsa differs from Kafka 4.3 for a key it acts on, beyond what the doc string says. Keys accepted but not
     * used are marked from their definition ({@link ConfigKey#used}).
     */
    private static final Map<String, String> DIFFERENCES = Map.ofEntries(
            Map.entry("node.id", "Default 1; Kafka requires the key (ADR 0003)."),
            Map.entry("process.roles", "Default `broker,controller`; Kafka requires the key (ADR 0003)."),
            Map.entry("listeners", "Default `PLAINTEXT://localhost:9092`; Kafka's `PLAINTEXT://:9092` (ADR 0003)."),
            Map.entry("log.dir", "Default `./samsa-data`; Kafka's `/tmp/kafka-logs` (ADR 0003)."),
            Map.entry("controller.quorum.voters",
                    "Default: this node alone on an ephemeral port; Kafka requires voters or bootstrap servers "
                            + "(ADR 0003)."),
            Map.entry("controller.listener.names", "Optional while the quorum is this node alone (ADR 0003)."),
            Map.entry("offsets.topic.replication.factor",
                    "1 while the quorum is this node alone and the key is unset (ADR 0003, 0011)."),
            Map.entry("transaction.state.log.replication.factor",
                    "1 while the quorum is this node alone and the key is unset (ADR 0003)."),
            Map.entry("transaction.state.log.min.isr",
                    "Capped at the replication factor while the quorum is this node alone and the key is unset "
                            + "(ADR 0003)."),
            Map.entry("log.flush.scheduler.interval.ms",
                    "When unset, the flusher still checks every second, so a topic's `flush.ms` works (ADR 0003)."),
            Map.entry("http.listeners", "Samsa's own key: Kafka has no HTTP listener (ADR 0022)."),
            Map.entry("sasl.enabled.mechanisms", "GSSAPI (Kerberos) is not supported (ADR 0017)."),
            Map.entry("authorizer.class.name",
                    "Only Kafka's StandardAuthorizer or Samsa's AclAuthorizer; no plugins (ADR 0018)."),
            Map.entry("sasl.server.callback.handler.class",
                    "Only Kafka's OAuthBearerValidatorCallbackHandler (ADR 0017)."));

    /** Topic keys that Samsa validates, stores and describes but does not act on (their definitions say "used"). */
    private static final Map<String, String> TOPIC_DIFFERENCES = Map.ofEntries(
            Map.entry("compression.gzip.level", "Stored and described; the codec's default level is used."),
            Map.entry("compression.lz4.level", "Stored and described; the codec's default level is used."),
            Map.entry("compression.zstd.level", "Stored and described; the codec's default level is used."),
            Map.entry("preallocate", "Stored and described; segment files are not preallocated."),
            Map.entry("leader.replication.throttled.replicas", "Stored; replication throttles are not enforced "
                    + "(ADR 0013)."),
            Map.entry("follower.replication.throttled.replicas", "Stored; replication throttles are not enforced "
                    + "(ADR 0013)."),
            Map.entry("remote.storage.enable", "Stored; tiered storage is not supported."),
            Map.entry("local.retention.ms", "Stored; tiered storage is not supported."),
            Map.entry("local.retention.bytes", "Stored; tiered storage is not supported."),
            Map.entry("remote.log.copy.disable", "Stored; tiered storage is not supported."),
            Map.entry("remote.log.delete.on.disable", "Stored; tiered storage is not supported."));

    private ConfigReference() {
    }

    /** Writes the page to {@code args[0]} (default {@code docs/configuration.md}). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath().normalize());
    }

    /** The whole page, Markdown, ending with a newline. */
    public static String render() {
        Set<String> cluster = ClusterConfigDefs.defineInto(new ConfigDef()).keys().keySet();
        Set<String> ssl = SslConfigDefs.defineInto(new ConfigDef()).keys().keySet();
        Set<String> sasl = SaslConfigDefs.defineInto(new ConfigDef()).keys().keySet();
        Set<String> authorizer = AuthorizerConfigDefs.defineInto(new ConfigDef()).keys().keySet();
        Collection<ConfigKey> broker = BrokerConfigDefs.DEF.keys().values();
        Predicate<ConfigKey> core = k -> !cluster.contains(k.name()) && !ssl.contains(k.name())
                && !sasl.contains(k.name()) && !authorizer.contains(k.name());

        StringBuilder md = new StringBuilder();
        md.append("""
                # Configuration reference

                <!-- Generated by io.samsa.broker.config.ConfigReference from the definitions in the code; do not edit.
                     Regenerate with `%s`; ConfigReferenceTest fails when this file is out of date. -->

                Samsa reads Apache Kafka's keys with Kafka's names, types, defaults and meaning: a Kafka 4.x
                `server.properties` loads unchanged (`samsa server --config FILE --override key=value`). Unknown keys
                are logged as a warning and ignored; an invalid value stops start-up with the key, the value and why.
                `config/server.properties` is a documented single-node file.

                - **Type**, **Default**, **Valid values** and **Importance** as in Kafka's documentation; `null` means
                  no value (usually: derived from another key, as the description says).
                - **Dynamic**: `cluster-wide` keys can be changed at run time with `samsa configs alter --entity-type
                  brokers` (or `kafka-configs`), for one broker (`--entity-name ID`) or all (`--entity-default`)
                  (KIP-226); `read-only` keys need a restart. Samsa changes fewer keys at run time than Kafka (thread
                  pools, listeners and TLS stores are read-only): the others are refused with Kafka's "Cannot update
                  these configs dynamically".
                - **Samsa**: where Samsa differs from Kafka. *Accepted, not used*: the key is read and validated, so a
                  Kafka file loads, but Samsa does not act on it yet (an explicit value is logged once at INFO).
                - TLS and SASL keys may also be set per listener as `listener.name.<listener>.<key>`, as in Kafka.
                  Passwords and private keys are never logged nor returned by DescribeConfigs.

                Topic keys are set with `samsa topics create --config` or `samsa configs alter --entity-type
                topics`; a topic without one takes the broker key named in **Broker default**.

                """.formatted(REGENERATE));
        brokerSection(md, "Broker: core, logs, groups and transactions",
                broker.stream().filter(core.and(ConfigKey::used)).toList());
        brokerSection(md, "Broker: cluster, roles and replication",
                broker.stream().filter(k -> cluster.contains(k.name()) && k.used()).toList());
        brokerSection(md, "Broker: TLS", broker.stream().filter(k -> ssl.contains(k.name()) && k.used()).toList());
        brokerSection(md, "Broker: SASL", broker.stream().filter(k -> sasl.contains(k.name()) && k.used()).toList());
        brokerSection(md, "Broker: authorization (ACLs)",
                broker.stream().filter(k -> authorizer.contains(k.name()) && k.used()).toList());
        brokerSection(md, "Broker: accepted, not used", broker.stream().filter(k -> !k.used()).toList());
        topicSection(md, TopicConfigDefs.DEF.keys().values().stream()
                .filter(k -> !TopicConfigDefs.isInternal(k.name())).toList());
        return md.toString();
    }

    private static void brokerSection(StringBuilder md, String title, List<ConfigKey> keys) {
        md.append("## ").append(title).append("\n\n");
        md.append("| Key | Type | Default | Valid values | Importance | Dynamic | Description | Samsa |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ConfigKey key : keys) {
            md.append(row(code(key.name()), key.type().name().toLowerCase(java.util.Locale.ROOT),
                    code(defaultText(key)), validValues(key), key.importance().name().toLowerCase(java.util.Locale.ROOT),
                    DynamicBrokerConfigs.DYNAMIC_KEYS.contains(key.name()) ? "cluster-wide" : "read-only",
                    key.doc(), samsaNote(key, DIFFERENCES)));
        }
        md.append('\n');
    }

    private static void topicSection(StringBuilder md, List<ConfigKey> keys) {
        md.append("## Topic\n\n");
        md.append("| Key | Type | Default | Valid values | Broker default | Description | Samsa |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (ConfigKey key : keys) {
            md.append(row(code(key.name()), key.type().name().toLowerCase(java.util.Locale.ROOT),
                    code(defaultText(key)), validValues(key),
                    key.synonyms().stream().map(ConfigReference::code).collect(Collectors.joining(", ")),
                    key.doc(), samsaNote(key, TOPIC_DIFFERENCES)));
        }
        md.append('\n');
    }

    private static String samsaNote(ConfigKey key, Map<String, String> differences) {
        String note = differences.getOrDefault(key.name(), "");
        if (!key.used()) {
            note = note.isEmpty() ? "Accepted, not used." : "Accepted, not used. " + note;
        }
        return note;
    }

    /** Kafka's rendering of a default: {@code null}, {@code ""} for an empty string or list, lists comma-joined. */
    static String defaultText(ConfigKey key) {
        Object value = key.defaultValue();
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "\"\"" : list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "\"\"" : text;
    }

    private static String validValues(ConfigKey key) {
        return key.validator() == null ? "" : key.validator().describe();
    }

    private static String code(String text) {
        return text.isEmpty() ? "" : "`" + text + "`";
    }

    private static String row(String... cells) {
        StringBuilder line = new StringBuilder("|");
        for (String cell : cells) {
            line.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return line.append('\n').toString();
    }
}
