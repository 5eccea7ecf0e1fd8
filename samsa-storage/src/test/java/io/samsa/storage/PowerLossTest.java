package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.files.PowerCutFiles;
import io.samsa.storage.files.StorageFiles;
import io.samsa.storage.producer.ProducerStateEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power loss at many seeded cut points ({@link PowerCutFiles}: every byte and directory entry not covered by an fsync
 * is dropped). With {@code flush.messages=1} every acknowledged record survives every cut; with the defaults the log
 * comes back as a consistent prefix of what was written: no torn batch served, indexes that find every offset,
 * producer state that matches the surviving batches. A failing seed replays exactly with {@code -Dpowerloss.seed=N}
 * (up to the background flusher's timing).
 */
class PowerLossTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("power", 0);
    static final Uuid TOPIC_ID = Uuid.randomUuid();
    static final int SEEDS = Integer.getInteger("powerloss.seeds", 50);

    @TempDir
    Path fallbackRoot;
    /** A memory file system when there is one (the test does thousands of creates and renames), else a temp dir. */
    Path root;

    @BeforeEach
    void pickRoot() throws Exception {
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "samsa-powerloss-")
                : fallbackRoot;
    }

    @AfterEach
    void deleteRoot() throws Exception {
        if (root != null && !root.equals(fallbackRoot)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** What one append wrote: its records' values, in offset order, and its producer (or -1). */
    record Written(long firstOffset, List<String> values, long producerId, int lastSequence) {
    }

    @ParameterizedTest(name = "flush.messages={0}")
    @ValueSource(longs = {1L, Long.MAX_VALUE})
    void everyCutPointRecoversAConsistentLogAndDurableModeKeepsEveryAcknowledgedRecord(long flushMessages)
            throws Exception {
        Integer only = Integer.getInteger("powerloss.seed");
        for (int seed = 0; seed < SEEDS; seed++) {
            if (only != null && seed != only) {
                continue;
            }
            runOnce(seed, flushMessages);
        }
    }

    private void runOnce(int seed, long flushMessages) throws Exception {
        Random random = new Random(seed * 31L + (flushMessages == 1 ? 1 : 0));
        Path dir = root.resolve("seed-" + seed + "-" + (flushMessages == 1 ? "durable" : "default"));
        LogConfig config = LogConfig.defaults().withSegmentBytes(2048 + random.nextInt(2048))
                .withIndexIntervalBytes(64 + random.nextInt(256)).withSegmentIndexBytes(1024)
                .withFlushMessages(flushMessages);
        MockTime time = new MockTime(T0);
        List<Written> acked = new ArrayList<>();
        Written inFlight = null;
        Map<Long, Integer> nextSequence = new HashMap<>();
        long cutAt = 1 + random.nextInt(flushMessages == 1 ? 600 : 250);
        PowerCutFiles files = new PowerCutFiles(dir, cutAt);
        String where;
        try (AutoCloseable ignored = StorageFiles.install(dir, files)) {
            LogManager manager = null;
            try {
                manager = LogManager.open(List.of(dir), config, time);
                PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config);
                for (int op = 0; op < 80 && !files.isOff(); op++) {
                    int kind = random.nextInt(20);
                    if (kind == 0) {
                        log.flush();
                    } else if (kind == 1) {
                        manager.checkpoint();
                    } else {
                        long producerId = random.nextInt(3) == 0 ? -1 : 1000 + random.nextInt(2);
                        int count = 1 + random.nextInt(5);
                        int firstSeq = producerId < 0 ? RecordBatch.NO_SEQUENCE : nextSequence.getOrDefault(producerId, 0);
                        List<String> values = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            values.add("s" + seed + "-op" + op + "-" + i + "-" + "x".repeat(random.nextInt(200)));
                        }
                        inFlight = new Written(log.logEndOffset(), values, producerId, firstSeq + count - 1);
                        if (acknowledged(log, batch(producerId, firstSeq, values))) {
                            acked.add(inFlight);
                            if (producerId >= 0) {
                                nextSequence.put(producerId, firstSeq + count);
                            }
                            inFlight = null;
                        }
                    }
                    time.sleep(random.nextInt(50));
                }
            } catch (KafkaStorageException | java.io.IOException e) {
                // the power went off in the middle of an operation
            }
            files.cutNow();
            where = files.toString();
            if (manager != null) {
                manager.crashForTesting();
            }
            files.applyCut();
        }
        String context = "seed " + seed + " flush.messages=" + flushMessages + " " + where;
        // after the power returns: fsyncs are only recorded (no cut), which keeps the test fast
        try (AutoCloseable noCut = StorageFiles.install(dir, new PowerCutFiles(dir, Long.MAX_VALUE));
             LogManager reopened = LogManager.open(List.of(dir), config, time)) {
            Optional<PartitionLog> maybe = reopened.get(TP);
            List<String> expected = new ArrayList<>();
            acked.forEach(w -> expected.addAll(w.values()));
            List<String> attempted = new ArrayList<>(expected);
            if (inFlight != null) {
                attempted.addAll(inFlight.values());
            }
            if (maybe.isEmpty()) {
                assertThat(flushMessages == 1 ? expected : List.of()).as(context).isEmpty();
                return;
            }
            PartitionLog log = maybe.get();
            List<String> survived = readValues(log, context);
            // a consistent prefix of what was written
            assertThat(attempted.subList(0, Math.min(attempted.size(), survived.size()))).as(context)
                    .isEqualTo(survived);
            assertThat(survived.size()).as(context).isLessThanOrEqualTo(attempted.size());
            if (flushMessages == 1) {
                assertThat(survived.size()).as(context + ": every acknowledged record survives")
                        .isGreaterThanOrEqualTo(expected.size());
            }
            assertThat(log.logEndOffset()).as(context).isEqualTo(survived.size());
            assertIndexesFindEveryOffset(log, survived.size(), context);
            assertProducerStateMatches(log, acked, inFlight, survived.size(), context);
        }
    }

    /**
     * The single acknowledgement rule, as the broker applies it: an append that returned is acknowledged, once the
     * group-commit fsync covering it completed when {@code flush.messages} asks for one ({@link LogAppendInfo#awaitFlush}).
     */
    static boolean acknowledged(PartitionLog log, MemoryRecords records) {
        try {
            LogAppendInfo info = log.appendAsLeader(records, 1);
            if (info.awaitFlush()) {
                log.flushedTo(info.lastOffset() + 1).join();
            }
            log.updateHighWatermark(log.logEndOffset());
            return true;
        } catch (KafkaStorageException | java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    static MemoryRecords batch(long producerId, int firstSeq, List<String> values) {
        List<SimpleRecord> records = values.stream()
                .map(v -> new SimpleRecord(T0, null, v.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList();
        short epoch = producerId < 0 ? RecordBatch.NO_PRODUCER_EPOCH : 0;
        return TestBatches.build(Compression.NONE, TimestampType.CREATE_TIME, T0, producerId, epoch, firstSeq, records);
    }

    /** Every record from offset 0 to the LEO, each batch CRC-checked. */
    static List<String> readValues(PartitionLog log, String context) {
        List<String> values = new ArrayList<>();
        long next = log.logStartOffset();
        assertThat(next).as(context).isZero();
        while (next < log.logEndOffset()) {
            var records = log.read(next, Integer.MAX_VALUE, log.logEndOffset(), true).records();
            long before = next;
            for (RecordBatch batch : records.batches()) {
                batch.ensureValid();
                for (Record record : batch) {
                    assertThat(record.offset()).as(context).isEqualTo(next);
                    values.add(Utils.utf8(record.value()));
                    next++;
                }
            }
            assertThat(next).as(context + ": a read from " + before + " made progress").isGreaterThan(before);
        }
        return values;
    }

    static void assertIndexesFindEveryOffset(PartitionLog log, long logEnd, String context) {
        for (long offset = 0; offset < logEnd; offset++) {
            var records = log.read(offset, 1, logEnd, true).records();
            RecordBatch first = records.batches().iterator().next();
            assertThat(offset).as(context + ": offset found by the indexes").isBetween(first.baseOffset(),
                    first.lastOffset());
        }
    }

    static void assertProducerStateMatches(PartitionLog log, List<Written> acked, Written inFlight, long survived,
                                           String context) {
        List<Written> all = new ArrayList<>(acked);
        if (inFlight != null) {
            all.add(inFlight);
        }
        Map<Long, Integer> lastSurvivingSequence = new HashMap<>();
        for (Written w : all) {
            if (w.producerId() >= 0 && w.firstOffset() + w.values().size() <= survived) {
                lastSurvivingSequence.put(w.producerId(), w.lastSequence());
            }
        }
        for (long producerId : List.of(1000L, 1001L)) {
            Integer expected = lastSurvivingSequence.get(producerId);
            Optional<ProducerStateEntry> entry = log.producerState().entry(producerId);
            if (expected == null) {
                assertThat(entry.map(ProducerStateEntry::lastSeq)).as(context + " producer " + producerId).isEmpty();
            } else {
                assertThat(entry).as(context + " producer " + producerId).isPresent();
                assertThat(entry.get().lastSeq()).as(context + " producer " + producerId).isEqualTo(expected);
                // and the producer can go on with its next sequence
                LogAppendInfo next = log.appendAsLeader(batch(producerId, expected + 1, List.of("after")), 1);
                assertThat(next.duplicate()).as(context).isFalse();
            }
        }
    }

}
