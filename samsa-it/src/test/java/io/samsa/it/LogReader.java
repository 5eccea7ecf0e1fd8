package io.samsa.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads partitions from their log start offset to their end offset (as of the start of the read). */
final class LogReader {
    private LogReader() {
    }

    static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /**
     * Assigns {@code partitions}, seeks to the beginning and polls until every position reaches the end offset
     * taken before the first poll; fails after {@code atMost} with what is missing.
     */
    static <K, V> Map<TopicPartition, List<ConsumerRecord<K, V>>> readAll(
            Consumer<K, V> consumer, Collection<TopicPartition> partitions, Duration atMost) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, List<ConsumerRecord<K, V>>> read = new LinkedHashMap<>();
        partitions.forEach(tp -> read.put(tp, new ArrayList<>()));
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!caughtUp(consumer, partitions, end)) {
            if (System.nanoTime() > deadline) {
                Map<TopicPartition, Integer> counts = new LinkedHashMap<>();
                read.forEach((tp, records) -> counts.put(tp, records.size()));
                throw new AssertionError("did not reach the end offsets " + end + " within " + atMost + "; read " + counts);
            }
            for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
                read.get(new TopicPartition(r.topic(), r.partition())).add(r);
            }
        }
        return read;
    }

    private static boolean caughtUp(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                                    Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
