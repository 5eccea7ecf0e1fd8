package io.samsa.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa configs alter}: IncrementalAlterConfigs (KIP-339) with SET for {@code --add-config k=v[,k=v]} and
 * DELETE for {@code --delete-config k[,k]}, as {@code kafka-configs --alter}. A value holding commas is written in
 * square brackets: {@code cleanup.policy=[compact,delete]}. All changes are applied atomically or not at all; an
 * invalid key or value prints the broker's message and exits 1.
 */
@Command(name = "alter", description = "Set or delete configs of a topic or broker.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa configs alter --entity-type topics --entity-name orders \\",
            "      --add-config retention.ms=86400000,cleanup.policy=[compact,delete]",
            "  samsa configs alter --entity-type topics --entity-name orders \\",
            "      --delete-config retention.ms",
            "  samsa configs alter --entity-type brokers --entity-default \\",
            "      --add-config log.retention.ms=604800000"
        })
final class ConfigsAlterCommand extends AdminCommand {
    @Mixin
    ConfigEntity entity;

    @Option(names = "--add-config", paramLabel = "K=V[,K=V]",
            description = "Configs to set; a value with commas goes in brackets: k=[a,b].")
    String addConfig;

    @Option(names = "--delete-config", paramLabel = "K[,K]", split = ",", description = "Configs to delete.")
    List<String> deleteConfig = new ArrayList<>();

    @Override
    int run(Admin admin) throws Exception {
        ConfigResource resource = entity.resource(spec.commandLine());
        List<AlterConfigOp> ops = new ArrayList<>();
        parseAdd(addConfig).forEach(kv -> ops.add(new AlterConfigOp(kv, AlterConfigOp.OpType.SET)));
        deleteConfig.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k.trim(), ""),
                AlterConfigOp.OpType.DELETE)));
        if (ops.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --add-config and/or --delete-config");
        }
        try {
            admin.incrementalAlterConfigs(Map.<ConfigResource, Collection<AlterConfigOp>>of(resource, ops))
                    .all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic '" + resource.name() + "' does not exist.", SamsaCommand.EXIT_FAILURE,
                        e);
            }
            throw e;
        }
        spec.commandLine().getOut().println("Completed updating config for " + ConfigEntity.describe(resource) + ".");
        return 0;
    }

    /** {@code a=1,b=[x,y]} → a=1, b=x,y; commas inside brackets do not split. */
    List<ConfigEntry> parseAdd(String text) {
        List<ConfigEntry> entries = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return entries;
        }
        int depth = 0;
        StringBuilder current = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (char c : text.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--add-config expects key=value, got '" + part + "'");
            }
            String value = part.substring(eq + 1).trim();
            if (value.startsWith("[") && value.endsWith("]")) {
                value = value.substring(1, value.length() - 1);
            }
            entries.add(new ConfigEntry(part.substring(0, eq).trim(), value));
        }
        return entries;
    }
}
