package io.samsa.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Option;

/**
 * The options every client command shares ({@code --bootstrap-server}, {@code --command-config}) and the client
 * properties built from them. Precedence, lowest first: Samsa's defaults (bounded timeouts so that an unreachable
 * broker fails in ~15 s), the {@code --command-config} file, {@code --bootstrap-server}.
 */
final class ClientOptions {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    /** Admin and consumer API timeout, producer {@code max.block.ms}, in ms. */
    static final int API_TIMEOUT_MS = 15_000;
    /** Admin request timeout, in ms. */
    static final int REQUEST_TIMEOUT_MS = 10_000;

    @Option(
            names = "--bootstrap-server",
            paramLabel = "HOST:PORT",
            description = "Broker(s) to connect to (default: bootstrap.servers of --command-config, else "
                    + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Client properties file (security, timeouts, ...).")
    Path commandConfig;

    private Properties fileProperties;

    /** Properties for {@code Admin.create}. */
    Properties admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(API_TIMEOUT_MS));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(REQUEST_TIMEOUT_MS));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "samsa-admin");
        return withUserSettings(p);
    }

    /** Properties for a producer (serializers not included). */
    Properties producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(API_TIMEOUT_MS));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "samsa-producer");
        return withUserSettings(p);
    }

    /** Properties for a consumer (deserializers and group not included). */
    Properties consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(API_TIMEOUT_MS));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "samsa-consumer");
        return withUserSettings(p);
    }

    /** The effective {@code bootstrap.servers}. */
    String bootstrap() {
        if (bootstrapServer != null) {
            return bootstrapServer;
        }
        return fileProperties().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
    }

    /**
     * The user-facing form of a client failure: a metadata/node-assignment timeout while no bootstrap address
     * accepts a TCP connection becomes "cannot reach the broker at HOST:PORT"; anything else is returned as is.
     */
    RuntimeException translate(Throwable failure) {
        Throwable cause = Errors.unwrap(failure);
        if (cause instanceof TimeoutException && !BrokerProbe.anyReachable(bootstrap())) {
            return new CliException(
                    "cannot reach the broker at " + bootstrap(), SamsaCommand.EXIT_FAILURE, failure);
        }
        if (cause instanceof org.apache.kafka.common.config.ConfigException
                && String.valueOf(cause.getMessage()).startsWith("No resolvable bootstrap urls")) {
            return new CliException(
                    "cannot resolve the broker address " + bootstrap(), SamsaCommand.EXIT_FAILURE, failure);
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new CliException(Errors.message(failure), SamsaCommand.EXIT_FAILURE, failure);
    }

    private Properties withUserSettings(Properties defaults) {
        defaults.putAll(fileProperties());
        defaults.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return defaults;
    }

    private Properties fileProperties() {
        if (fileProperties == null) {
            fileProperties = commandConfig == null ? new Properties() : load(commandConfig);
        }
        return fileProperties;
    }

    static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + file + ": no such file", SamsaCommand.EXIT_USAGE, e);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + Errors.message(e), SamsaCommand.EXIT_USAGE, e);
        }
        return properties;
    }
}
