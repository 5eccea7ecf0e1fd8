package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the Kafka port: at least 100,000 malformed frames from several parallel connections (see
 * {@link FrameFactory}), reconnecting whenever the broker closes one. Afterwards the broker must still serve new
 * clients, a data set written before must read back byte-identical, and no corrupt batch may have been appended;
 * corrupt batches that were answered must carry Kafka's error codes.
 */
class FuzzIT {
    private static final long SEED = 20261121L;
    private static final int FRAMES = 100_000;
    private static final int WORKERS = 4;
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    private static final Duration BUDGET = Duration.ofSeconds(150);
    /** Codes Kafka answers for a Produce whose batch is invalid. */
    private static final List<Short> CORRUPT_BATCH_CODES = List.of(Errors.CORRUPT_MESSAGE.code(),
            Errors.INVALID_RECORD.code(), Errors.INVALID_REQUEST.code(), Errors.UNSUPPORTED_COMPRESSION_TYPE.code());
    /**
     * An unknown codec id (5-7) under a valid CRC: Apache Kafka 4.3 itself answers UNKNOWN_SERVER_ERROR here
     * ({@code CompressionType.forId} throws IllegalArgumentException, which is no ApiException), so it is accepted.
     */
    private static final List<Short> CORRUPT_CODEC_CODES = List.of(Errors.CORRUPT_MESSAGE.code(),
            Errors.INVALID_RECORD.code(), Errors.UNSUPPORTED_COMPRESSION_TYPE.code(), Errors.UNKNOWN_SERVER_ERROR.code());

    @TempDir
    Path dir;

    private final LongAdder framesSent = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    @Test
    void malformedFramesNeitherCrashNorCorrupt() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, Map.of("socket.request.max.bytes",
                Integer.toString(MAX_REQUEST_BYTES), "auto.create.topics.enable", "false"))) {
            // Given a known data set, a target topic for corrupt batches with some valid records, and a scratch topic
            Uuid targetId = samsa.createTopic("fuzz-target", 1, Map.of());
            Uuid scratchId = samsa.createTopic("scratch", 1, Map.of());
            samsa.createTopic("fuzz-known-data", 3, Map.of());
            List<ProducerRecord<byte[], byte[]>> known = knownData(new Random(SEED), "fuzz-known-data", 3, 600);
            List<ProducerRecord<byte[], byte[]>> target = knownData(new Random(SEED + 1), "fuzz-target", 1, 100);
            try (KafkaProducer<byte[], byte[]> producer = samsa.byteProducer(Map.of())) {
                for (ProducerRecord<byte[], byte[]> r : known) {
                    producer.send(r).get();
                }
                for (ProducerRecord<byte[], byte[]> r : target) {
                    producer.send(r).get();
                }
            }

            // When the fuzzers run
            int port = samsa.broker().port();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            long deadline = System.nanoTime() + BUDGET.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                FrameFactory frames = new FrameFactory(new Random(SEED * 31 + w), MAX_REQUEST_BYTES, "fuzz-target",
                        targetId, "scratch", scratchId);
                workers.add(pool.submit(() -> fuzz(port, frames, FRAMES / WORKERS, deadline)));
            }
            for (Future<?> w : workers) {
                w.get(BUDGET.toSeconds() + 60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            String report = report();
            System.out.println(report);

            // Then enough frames went out
            assertThat(framesSent.sum()).as(report).isGreaterThanOrEqualTo(FRAMES);

            // And the broker still serves a new client, which reads the known data byte for byte
            // and finds in the target topic nothing but the valid records
            assertReadsBack(samsa, known, "fuzz-known-data", 3);
            assertReadsBack(samsa, target, "fuzz-target", 1);
            try (KafkaProducer<byte[], byte[]> producer = samsa.byteProducer(Map.of())) {
                assertThat(producer.send(new ProducerRecord<>("scratch", new byte[] {1})).get(30, TimeUnit.SECONDS)
                        .hasOffset()).isTrue();
            }

            // And (last, as it is the least severe) every answered corrupt batch got one of Kafka's error codes
            outcomes.forEach((key, count) -> {
                if (key.startsWith("CORRUPT_") && key.contains(" code ")) {
                    short code = Short.parseShort(key.substring(key.indexOf(" code ") + 6));
                    List<Short> allowed = key.startsWith("CORRUPT_CODEC ") ? CORRUPT_CODEC_CODES : CORRUPT_BATCH_CODES;
                    assertThat(allowed).as("%s (%s)\n%s", key, Errors.forCode(code), report).contains(code);
                }
            });
        }
    }

    private void fuzz(int port, FrameFactory frames, int quota, long deadline) {
        long sent = 0;
        while (sent < quota && System.nanoTime() < deadline) {
            sent += connection(port, frames);
        }
    }

    /** One connection: up to 20 frames, a sentinel unless a frame ends the stream, then the responses. */
    private int connection(int port, FrameFactory frames) {
        connections.increment();
        Map<Integer, FrameFactory.Frame> awaiting = new HashMap<>();
        int written = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            FrameFactory.Frame last = null;
            int count = 1 + frames.nextInt(20);
            try {
                for (int i = 0; i < count; i++) {
                    last = frames.next();
                    if (last.correlationId() >= 0) {
                        awaiting.put(last.correlationId(), last);
                    }
                    out.write(last.bytes());
                    written++;
                    framesSent.increment();
                    if (last.terminal()) {
                        break;
                    }
                }
                if (last.halfClose()) {
                    socket.shutdownOutput();
                } else {
                    FrameFactory.Frame sentinel = frames.sentinel();
                    awaiting.put(sentinel.correlationId(), sentinel);
                    out.write(sentinel.bytes());
                }
            } catch (IOException e) {
                count("write: connection closed by broker");
            }
            readResponses(socket, awaiting);
        } catch (IOException e) {
            count("connect failed: " + e.getClass().getSimpleName());
        }
        return written;
    }

    private void readResponses(Socket socket, Map<Integer, FrameFactory.Frame> awaiting) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int size = in.readInt();
                if (size < 4 || size > 64 << 20) {
                    count("BROKER BUG: response with length " + size);
                    return;
                }
                byte[] body = new byte[size];
                in.readFully(body);
                int correlationId = ByteBuffer.wrap(body).getInt();
                FrameFactory.Frame frame = awaiting.remove(correlationId);
                if (frame == null) {
                    count("response to an unknown correlation id");
                } else if (frame.kind() == FrameFactory.Kind.SENTINEL) {
                    count("sentinel answered: connection survived");
                    return;
                } else if (frame.kind().corruptBatch()) {
                    countCorruptBatchResponse(frame, body);
                } else {
                    count(frame.kind() + " answered");
                }
            }
        } catch (SocketTimeoutException e) {
            timeouts.increment();
            count("read timeout; waiting for " + awaiting.values().stream().map(f -> f.kind().name()).sorted().toList());
        } catch (IOException e) {
            count("closed by broker");
        }
    }

    private void countCorruptBatchResponse(FrameFactory.Frame frame, byte[] body) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(body);
            ResponseHeader.parse(buf, ApiKeys.PRODUCE.responseHeaderVersion(frame.version()));
            ProduceResponseData response = new ProduceResponseData(new ByteBufferAccessor(buf), frame.version());
            response.responses().forEach(t -> t.partitionResponses().forEach(
                    p -> count(frame.kind() + " code " + p.errorCode())));
        } catch (RuntimeException e) {
            count("BROKER BUG: unparseable Produce v" + frame.version() + " response: " + e);
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome.length() > 200 ? outcome.substring(0, 200) : outcome, k -> new LongAdder())
                .increment();
    }

    private String report() {
        StringBuilder sb = new StringBuilder("fuzz seed " + SEED + ": " + framesSent.sum() + " frames over "
                + connections.sum() + " connections, " + timeouts.sum() + " read timeouts\n");
        new TreeMap<>(outcomes).forEach((k, v) -> sb.append("  ").append(v.sum()).append("  ").append(k).append('\n'));
        return sb.toString();
    }

    private static List<ProducerRecord<byte[], byte[]>> knownData(Random random, String topic, int partitions, int n) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[1 + random.nextInt(16)];
            byte[] value = new byte[random.nextInt(2_000)];
            random.nextBytes(key);
            random.nextBytes(value);
            records.add(new ProducerRecord<>(topic, i % partitions, 1_700_000_000_000L + i, key, value));
        }
        return records;
    }

    private static void assertReadsBack(EmbeddedSamsa samsa, List<ProducerRecord<byte[], byte[]>> sent, String topic,
                                        int partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = samsa.byteConsumer(Map.of())) {
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read =
                    LogReader.readAll(consumer, LogReader.partitions(topic, partitions), Duration.ofSeconds(60));
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                List<String> expected = sent.stream().filter(r -> r.partition() == partition)
                        .map(r -> text(r.timestamp(), r.key(), r.value())).toList();
                List<String> actual = read.get(new TopicPartition(topic, p)).stream()
                        .map(r -> text(r.timestamp(), r.key(), r.value())).toList();
                Diff.assertSameSequence(topic + "-" + p, actual, expected);
            }
        }
    }

    private static String text(long timestamp, byte[] key, byte[] value) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(value);
            return timestamp + " key=" + java.util.HexFormat.of().formatHex(key) + " value(" + value.length
                    + " bytes) sha256=" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
