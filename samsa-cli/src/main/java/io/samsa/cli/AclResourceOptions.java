package io.samsa.cli;

import io.samsa.broker.security.AuthorizedOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The resource options of {@code samsa acls} (Kafka's {@code kafka-acls} names): {@code --topic}, {@code --group},
 * {@code --transactional-id} (each repeatable), {@code --cluster}, and {@code --resource-pattern-type} (LITERAL,
 * PREFIXED; for list and remove also ANY and MATCH). Operation names parse as Kafka's ({@code Read},
 * {@code describe-configs}, {@code DescribeConfigs}, {@code ALL}, ...).
 */
final class AclResourceOptions {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic name or prefix; '*' is every topic.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "Consumer group name or prefix; '*' is every group.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--transactional-id", paramLabel = "ID",
            description = "Transactional id or prefix; '*' is every transactional id.")
    List<String> transactionalIds = new ArrayList<>();

    @Option(names = "--cluster", description = "The cluster resource (kafka-cluster).")
    boolean cluster;

    @Option(names = "--resource-pattern-type", paramLabel = "TYPE",
            description = "LITERAL or PREFIXED (add, remove: default LITERAL); list also takes ANY and MATCH "
                    + "(default ANY).")
    String patternType;

    /** The resources named, as patterns of {@code defaultPattern} unless {@code --resource-pattern-type} is given. */
    List<ResourcePattern> patterns(CommandSpec spec, PatternType defaultPattern) {
        PatternType type = patternType(spec, defaultPattern);
        if (type != PatternType.LITERAL && type != PatternType.PREFIXED) {
            throw new ParameterException(spec.commandLine(),
                    "--resource-pattern-type must be LITERAL or PREFIXED here, not " + type);
        }
        List<ResourcePattern> out = new ArrayList<>();
        forEach((resourceType, name) -> out.add(new ResourcePattern(resourceType, name,
                resourceType == ResourceType.CLUSTER ? PatternType.LITERAL : type)));
        return out;
    }

    /** Filters for the resources named (none named: every resource). */
    List<ResourcePatternFilter> filters(CommandSpec spec, PatternType defaultPattern) {
        PatternType type = patternType(spec, defaultPattern);
        List<ResourcePatternFilter> out = new ArrayList<>();
        forEach((resourceType, name) -> out.add(new ResourcePatternFilter(resourceType, name,
                resourceType == ResourceType.CLUSTER && type != PatternType.ANY && type != PatternType.MATCH
                        ? PatternType.LITERAL : type)));
        if (out.isEmpty()) {
            out.add(new ResourcePatternFilter(ResourceType.ANY, null, type));
        }
        return out;
    }

    boolean any() {
        return cluster || !topics.isEmpty() || !groups.isEmpty() || !transactionalIds.isEmpty();
    }

    private void forEach(java.util.function.BiConsumer<ResourceType, String> each) {
        topics.forEach(t -> each.accept(ResourceType.TOPIC, t));
        groups.forEach(g -> each.accept(ResourceType.GROUP, g));
        transactionalIds.forEach(t -> each.accept(ResourceType.TRANSACTIONAL_ID, t));
        if (cluster) {
            each.accept(ResourceType.CLUSTER, AuthorizedOperations.CLUSTER_NAME);
        }
    }

    private PatternType patternType(CommandSpec spec, PatternType defaultPattern) {
        if (patternType == null) {
            return defaultPattern;
        }
        PatternType type = PatternType.fromString(patternType.trim().toUpperCase(Locale.ROOT));
        if (type == PatternType.UNKNOWN) {
            throw new ParameterException(spec.commandLine(), "unknown --resource-pattern-type '" + patternType
                    + "' (LITERAL, PREFIXED, ANY, MATCH)");
        }
        return type;
    }

    /** Kafka's operation names in any case, with or without dashes/underscores: Read, describe-configs, ALL. */
    static AclOperation operation(CommandSpec spec, String text) {
        String normalized = text.trim().replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
        for (AclOperation op : AclOperation.values()) {
            if (op != AclOperation.UNKNOWN && op != AclOperation.ANY
                    && op.name().replace("_", "").equals(normalized)) {
                return op;
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown --operation '" + text + "'");
    }

    /** Refuses an operation the resource type does not have (Kafka's message), ALL being valid everywhere. */
    static void checkSupported(CommandSpec spec, ResourceType type, AclOperation op) {
        List<AclOperation> supported = AuthorizedOperations.supported(type);
        if (op != AclOperation.ALL && !supported.contains(op)) {
            throw new ParameterException(spec.commandLine(), "ResourceType " + type + " only supports operations "
                    + String.join(",", supported.stream().map(Enum::name).toList()) + ",ALL");
        }
    }
}
