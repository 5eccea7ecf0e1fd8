package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** librdkafka (kcat) as the client: a real text file goes through Samsa unchanged, with every codec. */
class KcatIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();
    static List<String> lines;

    @BeforeAll
    static void startBroker() throws Exception {
        Kcat.requireInstalled();
        lines = numberedLines(textFile());
        assertThat(lines).hasSizeGreaterThan(100);
    }

    @ParameterizedTest(name = "compression {0}")
    // librdkafka 2.0.2 only enables LZ4 when the broker advertises FindCoordinator (API 10), which it now does.
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void aTextFileRoundTripsThroughKcat(String codec) throws Exception {
        // Given a topic with one partition and a text file keyed by line number
        String topic = "kcat-file-" + codec;
        samsa.get().createTopic(topic, 1, Map.of());
        String input = String.join("", lines);

        // When kcat produces it with the codec and consumes it back
        Kcat.Result produced = Kcat.run(samsa.dir(), input.getBytes(StandardCharsets.UTF_8),
                List.of("-P", "-b", samsa.get().bootstrapServers(), "-t", topic, "-K", "\t", "-z", codec));
        assertThat(produced.exitCode()).as("kcat -P stderr: %s", produced.stderr()).isZero();
        Kcat.Result consumed = Kcat.run(samsa.dir(), new byte[0], List.of("-C", "-b",
                samsa.get().bootstrapServers(), "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"));

        // Then the output is the input, byte for byte
        assertThat(consumed.exitCode()).as("kcat -C stderr: %s", consumed.stderr()).isZero();
        Diff.assertSameSequence(topic, consumed.stdout().lines().toList(), input.lines().toList());
        assertThat(consumed.stdout()).isEqualTo(input);

        // And the batches were stored as they were sent: compressed with the codec (librdkafka sends a batch that
        // the codec would not shrink uncompressed, so a small last batch may be "none")
        assertThat(SegmentFiles.batchCompressions(samsa.get().logDir(), topic, 0)).contains(codec)
                .isSubsetOf(codec, "none");

        // And the Java consumer reads the same records
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            List<String> read = LogReader.readAll(consumer, List.of(tp), Duration.ofSeconds(30)).get(tp).stream()
                    .map(r -> r.key() + "\t" + r.value() + "\n").toList();
            assertThat(read).containsExactlyElementsOf(lines);
        }
    }

    @Test
    void kcatReadsWhatTheJavaProducerWrote() throws Exception {
        // Given records written by the Java producer over three partitions
        String topic = "kcat-from-java";
        samsa.get().createTopic(topic, 3, Map.of());
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of("compression.type", "lz4"))) {
            for (int i = 0; i < 300; i++) {
                int partition = i % 3;
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, lines.get(i).strip()));
                expected.add(partition + "|" + i / 3 + "|k" + i + "|" + lines.get(i).strip());
            }
        }

        // When kcat consumes every partition
        Kcat.Result consumed = Kcat.run(samsa.dir(), new byte[0], List.of("-C", "-b",
                samsa.get().bootstrapServers(), "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p|%o|%k|%s\n"));

        // Then it prints every record with its partition and offset
        assertThat(consumed.exitCode()).as("kcat -C stderr: %s", consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().toList()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** "N\tline\n" for every line, numbered from 1 like nl. */
    private static List<String> numberedLines(Path file) throws IOException {
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            numbered.add((i + 1) + "\t" + raw.get(i) + "\n");
        }
        return numbered;
    }

    /** GPL-3 from Debian's base-files, else the first (sorted) copyright file of /usr/share/doc with > 100 lines. */
    private static Path textFile() throws IOException {
        Path gpl = Path.of("/usr/share/common-licenses/GPL-3");
        if (Files.isRegularFile(gpl)) {
            return gpl;
        }
        try (Stream<Path> docs = Files.list(Path.of("/usr/share/doc"))) {
            return docs.sorted().map(d -> d.resolve("copyright")).filter(Files::isRegularFile)
                    .filter(KcatIT::longEnough).findFirst()
                    .orElseThrow(() -> new AssertionError("no text file with > 100 lines under /usr/share"));
        }
    }

    private static boolean longEnough(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).size() > 100;
        } catch (IOException e) {
            return false;
        }
    }
}
