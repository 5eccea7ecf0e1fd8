package io.samsa.cli;

import io.samsa.broker.SamsaNode;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code samsa server}: starts one broker from a Kafka-style config and runs until the JVM is asked to stop
 * (SIGTERM, Ctrl-C); the shutdown hook closes the broker cleanly, which writes the clean-shutdown marker.
 * Exit codes: 0 after a clean stop, 1 startup failure, 2 invalid configuration (a missing file, a malformed
 * override, an invalid value: {@link BrokerConfig#load}).
 */
@Command(name = "server", description = "Start a Samsa broker (default: one node on localhost:9092, data in ./samsa-data).",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # one node on localhost:9092, data in ./samsa-data",
            "  samsa server",
            "  samsa server --config config/server.properties",
            "  samsa server --config config/cluster/node1.properties \\",
            "      --override log.dirs=/data/samsa",
            "  samsa server --override listeners=PLAINTEXT://:9092 \\",
            "      --override advertised.listeners=PLAINTEXT://host1:9092"
        })
final class ServerCommand implements Callable<Integer> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file (Kafka keys).")
    Path config;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "A config that wins over the file.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        LogMode.installJulBridge();
        BrokerConfig brokerConfig;
        try {
            brokerConfig = BrokerConfig.load(config, overrides);
        } catch (ConfigException e) {
            throw new CliException(Errors.message(e), SamsaCommand.EXIT_USAGE, e);
        }
        SamsaNode broker;
        try {
            broker = SamsaNode.start(brokerConfig);
        } catch (ConfigException e) {
            throw new CliException(Errors.message(e), SamsaCommand.EXIT_USAGE, e);
        } catch (Exception e) {
            throw new CliException("cannot start the broker: " + Errors.message(e), SamsaCommand.EXIT_FAILURE, e);
        }
        Thread hook = new Thread(() -> closeQuietly(broker), "samsa-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        broker.awaitShutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is closing the broker
        }
        return 0;
    }

    /**
     * {@code samsa server} with only {@code --config FILE} and {@code --override KEY=VALUE} options (either as two
     * arguments or joined by {@code =}), parsed without picocli: building picocli's model of every command costs
     * about half a second of the start, because picocli's classes target Java 5 and the JVM's class-data archive
     * cannot hold them (ADR 0008). Empty for anything else ({@code --help}, {@code -v}, a repeated {@code --config},
     * a typo): {@link SamsaCommand} then runs picocli as usual, with its messages and exit codes.
     */
    static Optional<ServerCommand> parsePlain(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            return Optional.empty();
        }
        ServerCommand command = new ServerCommand();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name;
            String value;
            int eq = arg.indexOf('=');
            if ((arg.startsWith("--config=") || arg.startsWith("--override=")) && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if ((arg.equals("--config") || arg.equals("--override")) && i + 1 < args.length
                    && !args[i + 1].startsWith("-")) {
                name = arg;
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (name.equals("--config")) {
                if (command.config != null) {
                    return Optional.empty();
                }
                command.config = Path.of(value);
            } else {
                command.overrides.add(value);
            }
        }
        return Optional.of(command);
    }

    /** Runs a {@link #parsePlain} command: a failure is printed as {@code samsa: <message>} on {@code err}. */
    int callPlain(PrintWriter err) throws InterruptedException {
        try {
            return call();
        } catch (CliException e) {
            err.println("samsa: " + Errors.message(e));
            err.flush();
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("samsa: " + Errors.message(e));
            err.flush();
            return SamsaCommand.EXIT_FAILURE;
        }
    }

    private static void closeQuietly(SamsaNode broker) {
        LOGGER.info("Samsa stopping");
        try {
            broker.close();
            if (broker.stoppedCleanly()) {
                LOGGER.info("Samsa stopped cleanly");
            } else {
                LOGGER.error("Samsa stopped, but not cleanly: the logs could not all be flushed (see the errors "
                        + "above); the next start recovers them");
            }
        } catch (RuntimeException e) {
            LOGGER.error("Samsa did not stop cleanly: {}", e.toString(), e);
        }
    }
}
