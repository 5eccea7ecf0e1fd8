package io.samsa.bench;

import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.Time;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code PartitionLog.appendAsLeader} of ~16 KiB produce batches of ~1 KiB records: validation, in-place offset
 * assignment and one channel write to the page cache (no fsync, Kafka's default). Each operation first copies the
 * client batch into a reused direct buffer, as the network layer would. The log is recreated every 1 GiB so the
 * benchmark does not fill the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {
    private static final TopicPartition TP = new TopicPartition("bench", 0);
    private static final long RECREATE_BYTES = 1L << 30;

    @Param({"none", "lz4"})
    public String codec;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private ByteBuffer template;
    private ByteBuffer work;
    private long bytesInLog;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("samsa-append-bench");
        template = BenchLogs.template(Compression.of(codec).build(), -1, -1).buffer();
        work = ByteBuffer.allocateDirect(template.remaining());
        manager = LogManager.open(List.of(dir), BenchLogs.config(), Time.SYSTEM);
        log = manager.getOrCreate(TP, Uuid.randomUuid(), BenchLogs.config());
    }

    @Benchmark
    public LogAppendInfo append() throws Exception {
        if (bytesInLog > RECREATE_BYTES) {
            manager.delete(TP);
            log = manager.getOrCreate(TP, Uuid.randomUuid(), BenchLogs.config());
            bytesInLog = 0;
        }
        work.clear();
        work.put(template.duplicate());
        work.flip();
        bytesInLog += work.remaining();
        return log.appendAsLeader(MemoryRecords.readableRecords(work), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        manager.close();
        BenchLogs.deleteRecursively(dir);
    }
}
