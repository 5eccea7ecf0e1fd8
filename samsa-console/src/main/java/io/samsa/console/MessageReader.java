package io.samsa.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads messages for the browser with a consumer of its own (no group, nothing committed): from an offset of one
 * partition, from a timestamp (ListOffsets by time, KIP-79) or every message whose key equals a given key (a scan from
 * each partition's start). Bounded: at most {@code limit} messages returned, {@link #MAX_SCANNED} messages scanned and
 * {@link #MAX_WAIT} spent, so a large topic never holds an HTTP thread long.
 *
 * <p>Not thread-safe; one instance per request.
 */
final class MessageReader {
    /** Most messages a key search looks at per request. */
    static final int MAX_SCANNED = 200_000;
    /** Longest one browse reads. */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    /** One message as read: bytes as stored. */
    record Message(int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
    }

    /** A record header (its value as bytes). */
    record Header(String key, byte[] value) {
    }

    /** The messages found, and whether the reader stopped at a bound before the end. */
    record Result(List<Message> messages, long scanned, boolean truncated) {
    }

    private final Cluster cluster;

    MessageReader(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Up to {@code limit} messages of one partition from {@code offset} (earlier than the log start: from the start;
     * negative: that many before the end offset, e.g. -10 for the last ten).
     *
     * @throws Cluster.ClusterException if the topic or the partition does not exist
     */
    Result fromOffset(String topic, int partition, long offset, int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer()) {
            TopicPartition tp = partitions(consumer, topic, partition).getFirst();
            consumer.assign(List.of(tp));
            long logStart = consumer.beginningOffsets(List.of(tp)).get(tp);
            long from = offset >= 0 ? offset : consumer.endOffsets(List.of(tp)).get(tp) + offset;
            long start = Math.max(from, logStart);
            consumer.seek(tp, start);
            return read(consumer, List.of(tp), limit, null);
        }
    }

    /** Up to {@code limit} messages from the first at or after {@code timestampMs} in each selected partition. */
    Result fromTimestamp(String topic, Integer partition, long timestampMs, int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer()) {
            List<TopicPartition> tps = partitions(consumer, topic, partition);
            consumer.assign(tps);
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, timestampMs));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            List<TopicPartition> reading = new ArrayList<>();
            for (TopicPartition tp : tps) {
                OffsetAndTimestamp at = found.get(tp);
                if (at != null) {
                    consumer.seek(tp, at.offset());
                    reading.add(tp);
                } else {
                    consumer.seek(tp, ends.get(tp));
                }
            }
            Result r = read(consumer, reading, limit, null);
            List<Message> sorted = r.messages().stream().sorted(Comparator.comparingLong(Message::timestamp)
                    .thenComparingInt(Message::partition).thenComparingLong(Message::offset)).limit(limit).toList();
            return new Result(sorted, r.scanned(), r.truncated());
        }
    }

    /** Up to {@code limit} messages whose key is exactly {@code key}, scanning each selected partition from its start. */
    Result byKey(String topic, Integer partition, byte[] key, int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer()) {
            List<TopicPartition> tps = partitions(consumer, topic, partition);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            return read(consumer, tps, limit, key);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Integer partition) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new Cluster.ClusterException("Topic " + topic + " not found");
        }
        List<TopicPartition> all = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        if (partition == null) {
            return all;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        if (!all.contains(tp)) {
            throw new Cluster.ClusterException("Topic " + topic + " has no partition " + partition);
        }
        return List.of(tp);
    }

    /** Polls until every partition reached its end offset, {@code limit} matches, a bound, or the deadline. */
    private static Result read(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps, int limit, byte[] key) {
        List<Message> out = new ArrayList<>();
        if (tps.isEmpty()) {
            return new Result(out, 0, false);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        long scanned = 0;
        while (true) {
            boolean done = tps.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            if (done) {
                return new Result(out, scanned, false);
            }
            if (out.size() >= limit || scanned >= MAX_SCANNED || System.nanoTime() > deadline) {
                return new Result(out, scanned, true);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= ends.get(tp) || out.size() >= limit) {
                    continue;
                }
                scanned++;
                if (key == null || Arrays.equals(key, r.key())) {
                    List<Header> headers = new ArrayList<>();
                    r.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
                    out.add(new Message(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), headers));
                }
            }
        }
    }
}
