package io.samsa.bench;

import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.index.OffsetIndex;
import io.samsa.storage.index.OffsetPosition;
import io.samsa.storage.segment.LogSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.utils.Time;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fetch path over a 64 MiB log of ~16 KiB batches: {@code PartitionLog.read} at random offsets (index lookup,
 * short scan, slice: no record bytes are copied), the offset index floor lookup alone, and ListOffsets by timestamp.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FetchBenchmark {
    private static final TopicPartition TP = new TopicPartition("bench", 0);
    private static final int BATCHES = 4096;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private OffsetIndex index;
    private long firstTimestamp;
    private long lastTimestamp;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("samsa-fetch-bench");
        manager = LogManager.open(List.of(dir), BenchLogs.config(), Time.SYSTEM);
        log = manager.getOrCreate(TP, Uuid.randomUuid(), BenchLogs.config());
        // batch i holds records stamped firstTimestamp + 10 * i (ms), so time lookups spread over the log
        firstTimestamp = System.currentTimeMillis() - 10L * BATCHES;
        for (int i = 0; i < BATCHES; i++) {
            log.appendAsLeader(BenchLogs.template(Compression.NONE, -1, -1, firstTimestamp + 10L * i), 0);
        }
        lastTimestamp = firstTimestamp + 10L * (BATCHES - 1);
        log.updateHighWatermark(log.logEndOffset());
        LogSegment segment = log.segments().get(0);
        index = segment.offsetIndex();
    }

    /** A 1 MiB fetch at a random offset: returns a FileRecords slice of whole batches. */
    @Benchmark
    public FetchDataInfo readSlice() {
        long offset = ThreadLocalRandom.current().nextLong(log.logEndOffset());
        return log.read(offset, 1024 * 1024, log.highWatermark(), true);
    }

    /** Floor lookup in the offset index of the first segment. */
    @Benchmark
    public OffsetPosition offsetIndexLookup() {
        return index.lookup(ThreadLocalRandom.current().nextLong(log.logEndOffset()));
    }

    /** ListOffsets by timestamp: time index, offset index, then a batch scan. */
    @Benchmark
    public Optional<FileRecords.TimestampAndOffset> offsetForTimestamp() {
        long span = Math.max(1, lastTimestamp - firstTimestamp);
        return log.fetchOffsetByTimestamp(firstTimestamp + ThreadLocalRandom.current().nextLong(span));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        manager.close();
        BenchLogs.deleteRecursively(dir);
    }
}
