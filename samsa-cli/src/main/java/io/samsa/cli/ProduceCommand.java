package io.samsa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code samsa produce}: one record per stdin line (UTF-8), sent asynchronously and flushed at end of input. Stops
 * at the first failed send or at the first line without the key separator (the lines
 * before it are delivered). Prints nothing on success, "Produced N records" on stderr with {@code -v}.
 */
@Command(name = "produce", description = "Send each line of stdin as a record.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo hello | samsa produce --topic events",
            "  printf 'k1\\thello\\n' | samsa produce --topic events --key-separator '\\t' \\",
            "      --acks all --compression zstd",
            "  samsa produce --topic events --property linger.ms=20 < values.txt"
        })
final class ProduceCommand implements Callable<Integer> {
    private static final int READ_BUFFER_CHARS = 1 << 16;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @ParentCommand
    SamsaCommand root;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to write to.")
    String topic;

    @Option(names = "--partition", paramLabel = "P", description = "Partition (default: the producer's partitioner).")
    Integer partition;

    @Option(
            names = "--key-separator",
            paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value (\\t for a tab).")
    String keySeparator;

    @Option(
            names = "--acks",
            paramLabel = "all|-1|1|0",
            converter = AcksConverter.class,
            description = "Acknowledgements to wait for (default: all).")
    String acks;

    @Option(
            names = "--compression",
            paramLabel = "TYPE",
            description = "none, gzip, snappy, lz4 or zstd (default: none).")
    Compression compression;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Producer config, e.g. linger.ms=10.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        LineParser parser = new LineParser(keySeparator == null ? null : Separators.unescape(keySeparator));
        long produced;
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            produced = produce(producer, parser);
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw client.translate(e);
        }
        if (root != null && root.verbose) {
            spec.commandLine().getErr().println("Produced " + produced + " records");
        }
        return 0;
    }

    Properties producerProperties() {
        Properties p = client.producer();
        p.putAll(properties);
        if (acks != null) {
            p.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (compression != null) {
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name());
        }
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private long produce(Producer<byte[], byte[]> producer, LineParser parser) throws Exception {
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                firstError.compareAndSet(null, exception);
            }
        };
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(root == null ? System.in : root.in(), StandardCharsets.UTF_8), READ_BUFFER_CHARS);
        long lineNumber = 0;
        CliException badLine = null;
        try {
            String line;
            while (firstError.get() == null && (line = reader.readLine()) != null) {
                lineNumber++;
                LineParser.KeyValue kv;
                try {
                    kv = parser.parse(line, lineNumber);
                } catch (CliException e) {
                    badLine = e; // the lines before it are still delivered
                    lineNumber--;
                    break;
                }
                producer.send(new ProducerRecord<>(topic, partition, kv.key(), kv.value()), callback);
            }
            producer.flush();
        } catch (IOException e) {
            throw new CliException("cannot read stdin: " + Errors.message(e), SamsaCommand.EXIT_FAILURE, e);
        }
        if (firstError.get() != null) {
            producer.close(Duration.ZERO);
            throw firstError.get();
        }
        producer.close(CLOSE_TIMEOUT);
        if (badLine != null) {
            throw badLine;
        }
        return lineNumber;
    }
}
