package io.samsa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code samsa consume}: prints records of a topic, one per line. Without {@code --group} it assigns the partitions
 * itself and seeks (no group, no commits); with {@code --group} it subscribes (the offsets of the printed records are
 * committed to the group, the
 * start position applies where the group has none, or on every assignment for {@code --offset}/
 * {@code --from-timestamp}). Exits 0 after {@code --max-messages} records or {@code --timeout-ms} without one.
 */
@Command(name = "consume", description = "Print the records of a topic, one per line.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa consume --topic events --from-beginning --max-messages 10",
            "  samsa consume --topic events --partition 0 --offset 100 --print-offset \\",
            "      --print-key",
            "  # commits what it printed",
            "  samsa consume --topic events --group readers --from-beginning",
            "  samsa consume --topic events --from-timestamp 2024-05-01T12:00:00Z \\",
            "      --timeout-ms 5000"
        })
final class ConsumeCommand implements Callable<Integer> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumeCommand.class);
    private static final long MAX_POLL_MS = 500;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to read.")
    String topic;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition (default: all).")
    Integer partition;

    @ArgGroup(exclusive = true)
    Start start;

    /** The mutually exclusive start options; none means the end. */
    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the log start offset.")
        boolean fromBeginning;

        @Option(names = "--offset", paramLabel = "O", description = "Start at this offset (in each partition read).")
        Long offset;

        @Option(
                names = "--from-timestamp",
                paramLabel = "MS|ISO-8601",
                description = "Start at the first record at or after this time (epoch ms, or ISO-8601; UTC if no offset).")
        String fromTimestamp;
    }

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after N records.")
    Long maxMessages;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            description = "Exit after MS ms without a record (default: wait forever).")
    Long timeoutMs;

    @Option(names = "--print-key", description = "Print the key.")
    boolean printKey;

    @Option(names = "--print-offset", description = "Print the offset.")
    boolean printOffset;

    @Option(names = "--print-timestamp", description = "Print the timestamp (epoch ms).")
    boolean printTimestamp;

    @Option(names = "--print-partition", description = "Print the partition.")
    boolean printPartition;

    @Option(
            names = "--key-separator",
            paramLabel = "SEP",
            defaultValue = "\\t",
            description = "Separator between printed fields (default: a tab; \\t, \\n are unescaped).")
    String keySeparator;

    @Option(names = "--group", paramLabel = "G", description = "Consume as a member of group G (subscribe).")
    String group;

    @Override
    public Integer call() {
        StartPosition position = startPosition();
        validate();
        RecordFormatter formatter = new RecordFormatter(
                printPartition, printOffset, printTimestamp, printKey, Separators.unescape(keySeparator));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitions(consumer);
            if (group != null && partition == null) {
                consumer.subscribe(List.of(topic), new SeekOnAssign(consumer, position));
            } else {
                consumer.assign(partitions);
                if (group == null || seeksInGroup(position)) {
                    position.seek(consumer, partitions);
                }
            }
            return loop(consumer, formatter);
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw client.translate(e);
        }
    }

    StartPosition startPosition() {
        if (start == null) {
            return new StartPosition.End();
        }
        if (start.fromBeginning) {
            return new StartPosition.Beginning();
        }
        if (start.offset != null) {
            return new StartPosition.AtOffset(start.offset);
        }
        try {
            return new StartPosition.AtTimestamp(new TimestampParser(ZoneOffset.UTC).parseMillis(start.fromTimestamp));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--from-timestamp': "
                    + e.getMessage());
        }
    }

    private void validate() {
        if (start != null && start.offset != null && start.offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be >= 0");
        }
        if (maxMessages != null && maxMessages <= 0) {
            throw new ParameterException(spec.commandLine(), "--max-messages must be > 0");
        }
        if (timeoutMs != null && timeoutMs < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 0");
        }
    }

    Properties consumerProperties() {
        Properties p = client.consumer();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        if (group == null) {
            p.remove(ConsumerConfig.GROUP_ID_CONFIG);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        } else {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            // Commit exactly what was printed (not what was fetched): see loop().
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            boolean earliest = start != null && start.fromBeginning;
            p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, earliest ? "earliest" : "latest");
        }
        return p;
    }

    /** In a group, beginning/end only decide {@code auto.offset.reset}; committed offsets win. */
    private static boolean seeksInGroup(StartPosition position) {
        return position instanceof StartPosition.AtOffset || position instanceof StartPosition.AtTimestamp;
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic); // bounded by default.api.timeout.ms
        if (infos == null || infos.isEmpty()) {
            throw new CliException("Topic '" + topic + "' does not exist.");
        }
        List<TopicPartition> all = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                .toList();
        if (partition == null) {
            return all;
        }
        TopicPartition wanted = new TopicPartition(topic, partition);
        if (!all.contains(wanted)) {
            throw new CliException("Topic '" + topic + "' has no partition " + partition
                    + " (it has " + all.size() + ").");
        }
        return List.of(wanted);
    }

    private int loop(KafkaConsumer<byte[], byte[]> consumer, RecordFormatter formatter) {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            consumer.wakeup();
            awaitQuietly(done);
        }, "samsa-consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long count = 0;
        long max = maxMessages == null ? Long.MAX_VALUE : maxMessages;
        long idleNanos = timeoutMs == null ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long lastRecord = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
        try {
            while (count < max) {
                long idle = System.nanoTime() - lastRecord;
                if (idle >= idleNanos) {
                    break;
                }
                long waitMs = Math.max(1, Math.min(MAX_POLL_MS, TimeUnit.NANOSECONDS.toMillis(idleNanos - idle)));
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(waitMs));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.write(formatter.format(r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
                    out.write('\n');
                    printed.put(new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1, r.leaderEpoch(), ""));
                    if (++count >= max) {
                        break;
                    }
                }
                out.flush();
                if (group != null) {
                    consumer.commitAsync(Map.copyOf(printed), null);
                }
                if (out.checkError()) {
                    LOGGER.debug("stdout closed after {} records of topic={}", count, topic);
                    break; // e.g. `samsa consume ... | head`
                }
                lastRecord = System.nanoTime();
            }
        } catch (WakeupException e) {
            LOGGER.debug("interrupted after {} records of topic={}", count, topic);
        } finally {
            out.flush();
            commitPrinted(consumer, printed);
            done.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private void commitPrinted(KafkaConsumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> printed) {
        if (group == null || printed.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(printed);
        } catch (RuntimeException e) {
            LOGGER.warn("Could not commit the offsets of group={} topic={}: {}", group, topic, Errors.message(e));
        }
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
    }

    /** With {@code --group}: applies {@code --offset}/{@code --from-timestamp} to newly assigned partitions. */
    private record SeekOnAssign(KafkaConsumer<?, ?> consumer, StartPosition position)
            implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (seeksInGroup(position)) {
                position.seek(consumer, partitions);
            }
        }
    }
}
