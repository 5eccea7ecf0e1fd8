import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Transactional produce benchmark, run against any Kafka-protocol broker with a kafka-clients class path:
 * {@code java -cp 'kafka/lib/*' TxnBench.java MODE --bootstrap HOST:PORT [options]}. Prints progress to stderr and
 * one summary line of {@code key=value} pairs to stdout (rates per second, latencies in ms, MB = 2^20 bytes as
 * Kafka's ProducerPerformance counts them). Used by {@code txn-compare.py}.
 *
 * <p><b>throughput</b> ({@code --records N --txn-records T --partitions P --topic NAME}): one transactional producer
 * ({@code acks=all}, {@code linger.ms=5}, {@code batch.size=131072}, as {@code perf.sh produce}) writes N records of
 * 1 KiB (no key: the sticky partitioner) to a P-partition topic, committing after every T records, one
 * transaction at a time, as an application does. The clock starts after {@code initTransactions()} and stops when
 * the last commit returns. Reports records/s, MB/s, the mean time per transaction, the time
 * {@code commitTransaction()} blocked (mean, p50, p99) and the time from the first {@code send()} of a transaction
 * to its acknowledgement (mean, p50, p99: it includes adding the partition to the transaction, and waiting out
 * CONCURRENT_TRANSACTIONS while the previous transaction's markers are written).
 *
 * <p><b>latency</b> ({@code --seconds S --rate R --commit-ms C --warmup-s W --topic NAME}): one transactional
 * producer ({@code linger.ms=1}, as {@code perf.sh latency}) sends R records/s of 1 KiB to a one-partition topic,
 * committing every C ms (time-based, as Kafka Streams' {@code commit.interval.ms}, 100 ms under exactly-once), while
 * two consumers in the same JVM (same clock), one {@code read_committed} and one {@code read_uncommitted}, both with
 * default fetch settings, read the partition from its end. Latency of a record = arrival in {@code poll()} minus its
 * create timestamp (set by the producer at {@code send()}). Records created in the first W seconds are not counted.
 * Reports p50/p99/p99.9 of both consumers, {@code added_*}: read_committed minus read_uncommitted, per
 * percentile and in the mean (means add up: the mean wait read_committed adds to a record), and {@code visible_*}: per measured transaction, from the call of {@code commitTransaction()} to the
 * arrival of its first record at the read_committed consumer (what the broker adds to the commit interval; records
 * carry their transaction's number). Fails (exit 1) if either consumer does not receive every record sent.
 *
 * <p>Both modes report the finalized {@code transaction.version} of the broker ({@code DescribeFeatures}; -1 when
 * the broker reports none), since Transactions V2 (KIP-890) changes the requests of a transaction.
 */
public class TxnBench {
    static final int RECORD_BYTES = 1024;
    /** First byte of the records the latency mode counts (the warm-up's records start with 'x'). */
    static final byte MEASURED = 'm';

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: TxnBench throughput|latency --bootstrap HOST:PORT [--key value]...");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = required(opts, "bootstrap");
        short txnVersion = transactionVersion(bootstrap);
        String line = switch (args[0]) {
            case "throughput" -> throughput(bootstrap, opts.getOrDefault("topic", "bench-txn"),
                    Long.parseLong(opts.getOrDefault("records", "200000")),
                    Integer.parseInt(opts.getOrDefault("txn-records", "1000")),
                    Integer.parseInt(opts.getOrDefault("partitions", "6")));
            case "latency" -> latency(bootstrap, opts.getOrDefault("topic", "bench-txn-lat"),
                    Integer.parseInt(opts.getOrDefault("seconds", "20")),
                    Integer.parseInt(opts.getOrDefault("rate", "2000")),
                    Integer.parseInt(opts.getOrDefault("commit-ms", "100")),
                    Integer.parseInt(opts.getOrDefault("warmup-s", "3")));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println(line + " transaction_version=" + txnVersion);
    }

    static String throughput(String bootstrap, String topic, long records, int txnRecords, int partitions)
            throws Exception {
        createTopic(bootstrap, topic, partitions);
        byte[] value = payload();
        int transactions = (int) ((records + txnRecords - 1) / txnRecords);
        long[] commitNanos = new long[transactions];
        long[] firstAckNanos = new long[transactions]; // first send() of a transaction to its acknowledgement
        int commits = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, "5", "131072")) {
            producer.initTransactions();
            long start = System.nanoTime();
            long lastReport = start;
            for (long sent = 0; sent < records; ) {
                producer.beginTransaction();
                long n = Math.min(txnRecords, records - sent);
                int txn = commits;
                long first = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, value),
                        (metadata, error) -> firstAckNanos[txn] = System.nanoTime() - first);
                for (long i = 1; i < n; i++) {
                    producer.send(new ProducerRecord<>(topic, value));
                }
                sent += n;
                long c0 = System.nanoTime();
                producer.commitTransaction();
                long now = System.nanoTime();
                commitNanos[commits++] = now - c0;
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    System.err.printf("%d records, %.0f records/s%n", sent, sent / ((now - start) / 1e9));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double commitMeanMs = Arrays.stream(commitNanos, 0, commits).average().orElse(0) / 1e6;
            double firstAckMeanMs = Arrays.stream(firstAckNanos, 0, commits).average().orElse(0) / 1e6;
            Arrays.sort(commitNanos, 0, commits);
            Arrays.sort(firstAckNanos, 0, commits);
            return String.format("mode=throughput txn_records=%d records=%d transactions=%d seconds=%.2f "
                            + "records_per_s=%.1f mb_per_s=%.2f txn_mean_ms=%.2f commit_mean_ms=%.2f "
                            + "commit_p50_ms=%.2f commit_p99_ms=%.2f first_ack_mean_ms=%.2f first_ack_p50_ms=%.2f "
                            + "first_ack_p99_ms=%.2f",
                    txnRecords, records, commits, seconds, records / seconds,
                    records * RECORD_BYTES / seconds / (1024 * 1024), seconds * 1000 / commits, commitMeanMs,
                    percentile(commitNanos, commits, 50) / 1e6, percentile(commitNanos, commits, 99) / 1e6,
                    firstAckMeanMs, percentile(firstAckNanos, commits, 50) / 1e6,
                    percentile(firstAckNanos, commits, 99) / 1e6);
        }
    }

    static String latency(String bootstrap, String topic, int seconds, int rate, int commitMs, int warmupS)
            throws Exception {
        createTopic(bootstrap, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        AtomicBoolean done = new AtomicBoolean();
        LatencyReader committed = new LatencyReader(bootstrap, tp, "read_committed", done);
        LatencyReader uncommitted = new LatencyReader(bootstrap, tp, "read_uncommitted", done);
        committed.start();
        uncommitted.start();
        committed.positioned.await();
        uncommitted.positioned.await();
        byte[] warmup = payload();
        byte[] measured = payload();
        measured[0] = MEASURED;
        long measuredSent = 0;
        int commits = 0;
        int measuredTxn = 0; // the number of the measured transaction open now
        long[] commitCalled = new long[1 << 12];
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, "1", "16384")) {
            producer.initTransactions();
            long periodNanos = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long warmupEnd = start + warmupS * 1_000_000_000L;
            producer.beginTransaction();
            long txnStart = start;
            boolean measuring = false;
            for (long i = 0; ; i++) {
                long due = start + i * periodNanos;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (now >= end) {
                    break;
                }
                if (!measuring && now >= warmupEnd) {
                    // records created from here on are measured; a transaction boundary keeps the cut clean
                    producer.commitTransaction();
                    commits++;
                    producer.beginTransaction();
                    txnStart = System.nanoTime();
                    measuring = true;
                }
                if (measuring) {
                    ByteBuffer.wrap(measured).putInt(1, measuredTxn); // send() copies the value into its batch
                    measuredSent++;
                }
                producer.send(new ProducerRecord<>(topic, 0, null, null, measuring ? measured : warmup));
                if (System.nanoTime() - txnStart >= commitMs * 1_000_000L) {
                    if (measuring) {
                        commitCalled = commitCalled(commitCalled, measuredTxn++);
                    }
                    producer.commitTransaction();
                    commits++;
                    producer.beginTransaction();
                    txnStart = System.nanoTime();
                }
            }
            commitCalled = commitCalled(commitCalled, measuredTxn++);
            producer.commitTransaction();
            commits++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((committed.count() < measuredSent || uncommitted.count() < measuredSent)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        done.set(true);
        committed.join();
        uncommitted.join();
        if (committed.count() != measuredSent || uncommitted.count() != measuredSent) {
            System.err.printf("records sent %d, read_committed got %d, read_uncommitted got %d%n", measuredSent,
                    committed.count(), uncommitted.count());
            System.exit(1);
        }
        long[] rc = committed.sorted();
        long[] ru = uncommitted.sorted();
        int n = rc.length;
        long[] visible = new long[measuredTxn]; // µs from commitTransaction() to the first record read committed
        int txns = 0;
        for (int t = 0; t < measuredTxn; t++) {
            long arrived = committed.firstArrival(t);
            if (arrived != 0) { // a transaction may hold no record (a commit right after the warm-up's)
                visible[txns++] = (arrived - commitCalled[t]) / 1000;
            }
        }
        Arrays.sort(visible, 0, txns);
        return String.format("mode=latency rate=%d commit_ms=%d records=%d commits=%d "
                        + "rc_p50_ms=%d rc_p99_ms=%d rc_p999_ms=%d ru_p50_ms=%d ru_p99_ms=%d ru_p999_ms=%d "
                        + "added_p50_ms=%d added_p99_ms=%d added_mean_ms=%.2f visible_txns=%d visible_p50_ms=%.2f "
                        + "visible_p99_ms=%.2f visible_max_ms=%.2f",
                rate, commitMs, measuredSent, commits,
                percentile(rc, n, 50), percentile(rc, n, 99), percentile(rc, n, 99.9),
                percentile(ru, n, 50), percentile(ru, n, 99), percentile(ru, n, 99.9),
                percentile(rc, n, 50) - percentile(ru, n, 50), percentile(rc, n, 99) - percentile(ru, n, 99),
                Arrays.stream(rc).average().orElse(0) - Arrays.stream(ru).average().orElse(0), txns, percentile(visible, txns, 50) / 1000.0, percentile(visible, txns, 99) / 1000.0,
                txns == 0 ? -1 : visible[txns - 1] / 1000.0);
    }

    /** Records the time {@code commitTransaction()} is called for measured transaction {@code txn}. */
    private static long[] commitCalled(long[] times, int txn) {
        long[] out = txn < times.length ? times : Arrays.copyOf(times, times.length * 2);
        out[txn] = System.nanoTime();
        return out;
    }

    /** A consumer thread that records the latency in ms of each record whose value starts with {@link #MEASURED}. */
    static final class LatencyReader extends Thread {
        final CountDownLatch positioned = new CountDownLatch(1);
        private final Properties props = new Properties();
        private final TopicPartition tp;
        private final AtomicBoolean done;
        private volatile int count;
        private long[] latencies = new long[1 << 16];
        /** {@code System.nanoTime()} at which the first record of each measured transaction arrived (0: none yet). */
        private long[] firstArrival = new long[1 << 12];

        LatencyReader(String bootstrap, TopicPartition tp, String isolation, AtomicBoolean done) {
            super("reader-" + isolation);
            this.tp = tp;
            this.done = done;
            props.put("bootstrap.servers", bootstrap);
            props.put("isolation.level", isolation);
            props.put("enable.auto.commit", "false");
            props.put("key.deserializer", ByteArrayDeserializer.class.getName());
            props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                positioned.countDown();
                while (!done.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        long nanos = System.nanoTime();
                        if (r.value()[0] == MEASURED) {
                            int txn = ByteBuffer.wrap(r.value()).getInt(1);
                            if (txn >= firstArrival.length) {
                                firstArrival = Arrays.copyOf(firstArrival, Math.max(txn + 1, firstArrival.length * 2));
                            }
                            if (firstArrival[txn] == 0) {
                                firstArrival[txn] = nanos;
                            }
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count] = now - r.timestamp();
                            count = count + 1;
                        }
                    }
                }
            }
        }

        int count() {
            return count;
        }

        /** When the first record of measured transaction {@code txn} arrived (after {@link #join()}); 0 if none. */
        long firstArrival(int txn) {
            return txn < firstArrival.length ? firstArrival[txn] : 0;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(latencies, count);
            Arrays.sort(copy);
            return copy;
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, String lingerMs, String batchSize) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("transactional.id", "txn-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        props.put("acks", "all");
        props.put("linger.ms", lingerMs);
        props.put("batch.size", batchSize);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Set<String> names = Set.of(topic);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) { // the leader known to the broker's metadata before the producer starts
                try {
                    var d = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                    if (d.partitions().size() == partitions
                            && d.partitions().stream().allMatch(p -> p.leader() != null)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leaders for " + topic);
                }
                Thread.sleep(100);
            }
        }
    }

    static short transactionVersion(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, FinalizedVersionRange> finalized = admin.describeFeatures().featureMetadata()
                    .get(60, TimeUnit.SECONDS).finalizedFeatures();
            FinalizedVersionRange tv = finalized.get("transaction.version");
            System.err.println("finalized features: " + finalized.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().maxVersionLevel()).collect(Collectors.joining(", ")));
            return tv == null ? -1 : tv.maxVersionLevel();
        }
    }

    static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    static byte[] payload() {
        byte[] value = new byte[RECORD_BYTES];
        Arrays.fill(value, (byte) 'x');
        return value;
    }

    /** The p-th percentile (nearest rank) of the first n values of a sorted array. */
    static long percentile(long[] sorted, int n, double p) {
        if (n == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }
}
