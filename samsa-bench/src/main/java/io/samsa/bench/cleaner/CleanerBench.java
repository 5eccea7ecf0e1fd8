package io.samsa.bench.cleaner;

import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.cleaner.CleanerConfig;
import io.samsa.storage.cleaner.LogCleaner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;

/**
 * Log cleaner numbers, through the storage API directly (no network, so that the cleaner's own cost is what moves):
 * <ol>
 *   <li><b>cleaner throughput</b>: a compacted log of {@code --log-mb} MiB of 100-record batches whose keys are drawn
 *       from 10% as many unique keys as records (100-byte values) is cleaned once; reported as MiB of log cleaned per
 *       second (log size before / time) and the bytes read and written;</li>
 *   <li><b>append throughput with and without the cleaner</b>: one thread appends the same workload to a compacted
 *       log with 8 MiB segments for {@code --seconds} s (after a discarded 3 s warm-up of each), once with the cleaner thread running ({@code backoff.ms=50},
 *       {@code min.cleanable.dirty.ratio=0.1}, so it cleans that log over and over) and once with it disabled;
 *       alternated {@code --runs} times, medians reported.</li>
 * </ol>
 * Usage: {@code java -cp samsa-bench.jar io.samsa.bench.cleaner.CleanerBench [--log-mb 256] [--seconds 8] [--runs 3]
 * [--only cleaner|append]}.
 */
public final class CleanerBench {
    private static final int RECORDS_PER_BATCH = 100;
    private static final int VALUE_BYTES = 100;
    private static final TopicPartition TP = new TopicPartition("bench", 0);

    private CleanerBench() {
    }

    public static void main(String[] args) throws Exception {
        int logMb = intArg(args, "--log-mb", 256);
        int seconds = intArg(args, "--seconds", 8);
        int runs = intArg(args, "--runs", 3);
        String only = stringArg(args, "--only", "all"); // all, cleaner or append
        List<byte[]> batches = batches(4096, 1_000_000);
        if (!only.equals("append")) {
            cleanerThroughput(batches, logMb, runs);
        }
        if (!only.equals("cleaner")) {
            appendWithAndWithoutCleaner(batches, seconds, runs);
        }
    }

    /** One batch of 100 records with keys uniform over {@code uniqueKeys}. */
    static MemoryRecords batch(SplittableRandom random, int uniqueKeys) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(32 * 1024),
                RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L);
        long now = System.currentTimeMillis();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            builder.append(now, ("key-" + random.nextInt(uniqueKeys)).getBytes(StandardCharsets.UTF_8), value);
        }
        return builder.build();
    }

    /** {@code count} distinct encoded batches; keys uniform over {@code uniqueKeys}. */
    static List<byte[]> batches(int count, int uniqueKeys) {
        SplittableRandom random = new SplittableRandom(42);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        List<byte[]> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(32 * 1024),
                    RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L);
            for (int i = 0; i < RECORDS_PER_BATCH; i++) {
                byte[] key = ("key-" + random.nextInt(uniqueKeys)).getBytes(StandardCharsets.UTF_8);
                builder.append(System.currentTimeMillis(), key, value);
            }
            MemoryRecords records = builder.build();
            byte[] bytes = new byte[records.sizeInBytes()];
            records.buffer().get(bytes);
            out.add(bytes);
        }
        return out;
    }

    private static void cleanerThroughput(List<byte[]> batches, int logMb, int runs) throws Exception {
        int batchBytes = batches.getFirst().length;
        long batchCount = (long) logMb * 1024 * 1024 / batchBytes;
        long records = batchCount * RECORDS_PER_BATCH;
        int unique = (int) (records / 10);
        SplittableRandom random = new SplittableRandom(7);
        System.out.printf("cleaner: log %d MiB, %d records, %d unique keys (10%%), %d-byte values%n", logMb, records,
                unique, VALUE_BYTES);
        List<Double> mibPerSec = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createTempDirectory("samsa-cleaner-bench");
            LogConfig config = LogConfig.defaults().withCompact(true).withDelete(false)
                    .withSegmentBytes(64 * 1024 * 1024);
            try (LogManager manager = LogManager.open(List.of(dir), config, Time.SYSTEM,
                    new CleanerConfig(false, 1, 128L * 1024 * 1024, 512 * 1024, 15_000))) {
                PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
                for (long i = 0; i < batchCount; i++) {
                    log.appendAsLeader(batch(random, unique), 0); // fresh keys: 10% of records are unique keys
                }
                manager.updateConfig(TP, config.withSegmentMs(1));
                Thread.sleep(5);
                log.appendAsLeader(batch(random, unique), 0); // rolls: everything before is cleanable
                log.updateHighWatermark(log.logEndOffset());
                long before = log.segments().stream().mapToLong(s -> s.size()).sum();
                LogCleaner cleaner = manager.cleaner();
                long start = System.nanoTime();
                while (cleaner.cleanOnce()) {
                    // until nothing is dirty
                }
                double secs = (System.nanoTime() - start) / 1e9;
                long after = log.segments().stream().mapToLong(s -> s.size()).sum();
                LogCleaner.Stats stats = cleaner.stats();
                double rate = before / secs / (1 << 20);
                mibPerSec.add(rate);
                System.out.printf("  run %d: %.1f MiB cleaned in %.2f s = %.1f MiB/s (read %.1f MiB, wrote %.1f MiB,"
                                + " log %.1f -> %.1f MiB)%n", run, before / 1048576.0, secs, rate,
                        stats.bytesRead() / 1048576.0, stats.bytesWritten() / 1048576.0, before / 1048576.0,
                        after / 1048576.0);
            } finally {
                deleteRecursively(dir);
            }
        }
        System.out.printf("cleaner throughput median: %.1f MiB/s of log cleaned%n", median(mibPerSec));
    }

    private static void appendWithAndWithoutCleaner(List<byte[]> batches, int seconds, int runs) throws Exception {
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Long> cleanings = new ArrayList<>();
        System.out.println("append warm-up (not counted):");
        append(batches, 3, false, new ArrayList<>());
        append(batches, 3, true, new ArrayList<>());
        for (int run = 0; run < runs; run++) {
            without.add(append(batches, seconds, false, cleanings));
            with.add(append(batches, seconds, true, cleanings));
        }
        double a = median(without);
        double b = median(with);
        System.out.printf("append median without cleaner: %.1f MiB/s%n", a);
        System.out.printf("append median with cleaner:    %.1f MiB/s (%.0f%% of without; cleanings per run %s)%n",
                b, 100 * b / a, cleanings);
    }

    private static double append(List<byte[]> batches, int seconds, boolean cleaning, List<Long> cleanings)
            throws Exception {
        Path dir = Files.createTempDirectory("samsa-append-bench");
        LogConfig config = LogConfig.defaults().withCompact(true).withDelete(false).withSegmentBytes(8 * 1024 * 1024)
                .withMinCleanableDirtyRatio(0.1);
        try (LogManager manager = LogManager.open(List.of(dir), config, Time.SYSTEM,
                new CleanerConfig(cleaning, 1, 128L * 1024 * 1024, 512 * 1024, 50))) {
            PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
            manager.startBackgroundTasks(300_000);
            long bytes = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            int i = 0;
            long maxNs = 0;
            long stalledNs = 0; // time in appends slower than 10 ms (lock waits, GC, page-cache stalls)
            long now = start;
            while (now < end) {
                byte[] batch = batches.get(i++ % batches.size());
                log.appendAsLeader(copy(batch), 0);
                log.updateHighWatermark(log.logEndOffset());
                bytes += batch.length;
                long after = System.nanoTime();
                long took = after - now;
                maxNs = Math.max(maxNs, took);
                if (took > 10_000_000) {
                    stalledNs += took;
                }
                now = after;
            }
            double rate = bytes / ((System.nanoTime() - start) / 1e9) / (1 << 20);
            LogCleaner.Stats stats = manager.cleaner().stats();
            if (cleaning) {
                cleanings.add(stats.cleanings());
            }
            System.out.printf("  append %s cleaner: %.1f MiB/s (cleanings %d, cleaned %.0f MiB read; slowest append"
                            + " %.0f ms, %.0f ms in appends over 10 ms)%n", cleaning ? "with   " : "without", rate,
                    stats.cleanings(), stats.bytesRead() / 1048576.0, maxNs / 1e6, stalledNs / 1e6);
            return rate;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static MemoryRecords copy(byte[] batch) {
        return MemoryRecords.readableRecords(ByteBuffer.wrap(batch.clone()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
