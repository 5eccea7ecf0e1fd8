package io.samsa.cli;

import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --entity-type topics|brokers}, {@code --entity-name X} and {@code --entity-default} options of
 * {@code samsa configs} (kafka-configs' names). {@code --entity-default} is the cluster-wide broker default.
 */
final class ConfigEntity {
    enum Type { topics, brokers }

    @Option(names = "--entity-type", required = true, paramLabel = "TYPE",
            description = "topics or brokers.")
    Type type;

    @Option(names = "--entity-name", paramLabel = "NAME", description = "Topic name, or broker id.")
    String name;

    @Option(names = "--entity-default", description = "The cluster-wide broker default (brokers only).")
    boolean clusterDefault;

    /** The Admin resource, or a usage error naming what is missing. */
    ConfigResource resource(picocli.CommandLine commandLine) {
        if (clusterDefault) {
            if (type != Type.brokers || name != null) {
                throw new ParameterException(commandLine,
                        "--entity-default goes with --entity-type brokers and without --entity-name");
            }
            return new ConfigResource(ConfigResource.Type.BROKER, "");
        }
        if (name == null || name.isEmpty()) {
            throw new ParameterException(commandLine, "--entity-name is required (or --entity-default for brokers)");
        }
        return new ConfigResource(type == Type.topics ? ConfigResource.Type.TOPIC : ConfigResource.Type.BROKER,
                name);
    }

    /** "topic orders", "broker 1", "the broker default". */
    static String describe(ConfigResource resource) {
        if (resource.type() == ConfigResource.Type.BROKER && resource.name().isEmpty()) {
            return "the broker default";
        }
        return (resource.type() == ConfigResource.Type.TOPIC ? "topic " : "broker ") + resource.name();
    }
}
