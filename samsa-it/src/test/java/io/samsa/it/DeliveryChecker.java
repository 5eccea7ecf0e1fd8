package io.samsa.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The log checker of {@code shared/research/reliability.md}: producers record every acknowledged send as
 * (partition, offset, value), a final drain reads every partition, and {@link #problems} lists what breaks the
 * oracle: an acknowledged record missing or at another offset (lost-write, unseen), a value at two offsets
 * (duplicate), offsets with gaps or out of order, an acknowledged offset holding another value
 * (inconsistent-offsets), a later send of the producer acknowledged at a lower offset (nonmonotonic-send). Thread-safe for {@link #acked}.
 */
final class DeliveryChecker {
    /** One acknowledged send; {@code sendOrder} numbers the sends of one producer. */
    record Ack(TopicPartition partition, long offset, String value, long sendOrder) {
    }

    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();

    void acked(TopicPartition partition, long offset, String value, long sendOrder) {
        acks.add(new Ack(partition, offset, value, sendOrder));
    }

    int ackCount() {
        return acks.size();
    }

    /** The highest acknowledged offset of {@code partition}, or -1 when none. */
    long maxAckedOffset(TopicPartition partition) {
        return acks.stream().filter(a -> a.partition().equals(partition)).mapToLong(Ack::offset).max().orElse(-1);
    }

    /** Everything wrong with {@code read} (the full drain of every partition), at most {@code limit} lines. */
    List<String> problems(Map<TopicPartition, List<ConsumerRecord<String, String>>> read, int limit) {
        List<String> problems = new ArrayList<>();
        Map<TopicPartition, Map<Long, String>> byOffset = new HashMap<>();
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, String>>> e : read.entrySet()) {
            Map<Long, String> offsets = new HashMap<>();
            Set<String> values = new HashSet<>();
            long expectedOffset = 0;
            for (ConsumerRecord<String, String> r : e.getValue()) {
                if (r.offset() != expectedOffset) {
                    problems.add(e.getKey() + ": offset " + r.offset() + " read where " + expectedOffset + " was next");
                }
                expectedOffset = r.offset() + 1;
                if (!values.add(r.value())) {
                    problems.add(e.getKey() + ": duplicate value " + r.value() + " at offset " + r.offset());
                }
                offsets.put(r.offset(), r.value());
            }
            byOffset.put(e.getKey(), offsets);
        }
        for (Ack ack : acks) {
            Map<Long, String> offsets = byOffset.getOrDefault(ack.partition(), Map.of());
            String found = offsets.get(ack.offset());
            if (found == null) {
                problems.add("lost: acknowledged " + ack + " not read");
            } else if (!found.equals(ack.value())) {
                problems.add("inconsistent: acknowledged " + ack + " but offset holds " + found);
            }
        }
        Map<TopicPartition, List<Ack>> bySend = new HashMap<>();
        acks.forEach(ack -> bySend.computeIfAbsent(ack.partition(), k -> new ArrayList<>()).add(ack));
        bySend.values().forEach(list -> {
            list.sort(java.util.Comparator.comparingLong(Ack::sendOrder));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).offset() <= list.get(i - 1).offset()) {
                    problems.add("nonmonotonic-send: " + list.get(i) + " acknowledged below " + list.get(i - 1));
                }
            }
        });
        return problems.size() > limit ? problems.subList(0, limit) : problems;
    }
}
