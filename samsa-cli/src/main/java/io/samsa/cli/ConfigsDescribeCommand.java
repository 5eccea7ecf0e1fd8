package io.samsa.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code samsa configs describe}: DescribeConfigs with synonyms. Without {@code --all} only the dynamic configs of
 * the entity are printed (its overrides), as {@code kafka-configs --describe}; with it every config, one per line as
 * {@code key=value (SOURCE) synonyms={SOURCE:key=value, ...}}.
 */
@Command(name = "describe", description = "Show the configs of a topic or broker.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa configs describe --entity-type topics --entity-name orders",
            "  samsa configs describe --entity-type brokers --entity-name 1 --all",
            "  samsa configs describe --entity-type brokers --entity-default"
        })
final class ConfigsDescribeCommand extends AdminCommand {
    private static final Set<ConfigSource> DYNAMIC = Set.of(ConfigSource.DYNAMIC_TOPIC_CONFIG,
            ConfigSource.DYNAMIC_BROKER_CONFIG, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

    @Mixin
    ConfigEntity entity;

    @Option(names = "--all", description = "Every config with its source, not only the dynamic ones.")
    boolean all;

    @Override
    int run(Admin admin) throws Exception {
        ConfigResource resource = entity.resource(spec.commandLine());
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                    .all().get().get(resource);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic '" + resource.name() + "' does not exist.", SamsaCommand.EXIT_FAILURE,
                        e);
            }
            throw e;
        }
        boolean defaultEntity = resource.type() == ConfigResource.Type.BROKER && resource.name().isEmpty();
        List<ConfigEntry> entries = config.entries().stream()
                .filter(e -> all || defaultEntity || DYNAMIC.contains(e.source()))
                .sorted(Comparator.comparing(ConfigEntry::name))
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        out.println((all ? "All" : "Dynamic") + " configs for " + ConfigEntity.describe(resource) + ":");
        for (ConfigEntry e : entries) {
            out.println("  " + format(e));
        }
        return 0;
    }

    static String format(ConfigEntry e) {
        String value = e.isSensitive() ? "<sensitive>" : e.value();
        String synonyms = e.synonyms().stream()
                .map(s -> s.source() + ":" + s.name() + "=" + s.value())
                .collect(Collectors.joining(", ", "{", "}"));
        return e.name() + "=" + value + " (" + e.source() + ")" + (e.isReadOnly() ? " read-only" : "")
                + " synonyms=" + synonyms;
    }
}
