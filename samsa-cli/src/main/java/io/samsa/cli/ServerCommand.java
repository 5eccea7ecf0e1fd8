package io.samsa.cli;

import io.samsa.broker.SamsaBroker;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        mixinStandardHelpOptions = true)
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
        SamsaBroker broker;
        try {
            broker = SamsaBroker.start(brokerConfig);
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

    private static void closeQuietly(SamsaBroker broker) {
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
