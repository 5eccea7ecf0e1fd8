package io.samsa.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The oracle of the fault tests, applied to {@link SequencedProducer}s after a full drain of the topic: an
 * acknowledged record must be read exactly once, at its acknowledged offset (else lost or inconsistent); no value may
 * be read twice, acknowledged or not (duplicated); per producer and partition, acknowledged counters must be read in
 * increasing order (reordered); and every acknowledged record must be in the segment files of at least
 * {@code min.insync.replicas} replicas (under-replicated). Counts go in {@link Result}, the first lines of detail in
 * {@link Result#problems}. Immutable result; {@link #check} is a pure function of its inputs.
 */
final class SequenceAudit {
    private static final int DETAIL_LINES = 20;

    private SequenceAudit() {
    }

    /**
     * What the audit found.
     *
     * @param acknowledged records whose send the producers saw acknowledged
     * @param read         records read by the drain, all partitions
     * @param lost         acknowledged records not read at all
     * @param inconsistent acknowledged records read at another offset than acknowledged
     * @param duplicated   extra copies of values read more than once (acknowledged or not)
     * @param reordered    acknowledged records read before an acknowledged record with a lower counter of the same
     *                     producer and partition
     * @param underReplicated acknowledged records in fewer replicas' segment files than {@code min.insync.replicas}
     * @param problems     the first lines of detail
     */
    record Result(long acknowledged, long read, long lost, long inconsistent, long duplicated, long reordered,
                  long underReplicated, List<String> problems) {
        boolean clean() {
            return lost == 0 && inconsistent == 0 && duplicated == 0 && reordered == 0 && underReplicated == 0;
        }
    }

    /**
     * @param read      every partition of the topic, read from the beginning to its end offset
     * @param producers the producers, closed (every send completed or failed)
     * @param onDisk    per partition, per node, the values in that replica's segment files
     * @param minInsync {@code min.insync.replicas} of the topic
     */
    static Result check(Map<TopicPartition, List<ConsumerRecord<String, String>>> read,
                        List<SequencedProducer> producers, Map<Integer, Map<Integer, List<String>>> onDisk,
                        int minInsync) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Map<String, Long>> offsetByValue = new HashMap<>();
        long readCount = 0;
        long duplicated = 0;
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, String>>> e : read.entrySet()) {
            Map<String, Long> offsets = offsetByValue.computeIfAbsent(e.getKey().partition(), p -> new HashMap<>());
            for (ConsumerRecord<String, String> r : e.getValue()) {
                readCount++;
                Long earlier = offsets.putIfAbsent(r.value(), r.offset());
                if (earlier != null) {
                    duplicated++;
                    note(problems, "duplicated: " + r.value() + " at offsets " + earlier + " and " + r.offset()
                            + " of partition " + e.getKey().partition());
                }
            }
        }
        Map<Integer, Map<Integer, Set<String>>> diskSets = new HashMap<>();
        onDisk.forEach((partition, nodes) -> nodes.forEach((node, values) -> diskSets
                .computeIfAbsent(partition, p -> new HashMap<>()).put(node, Set.copyOf(dedupe(values)))));
        long acknowledged = 0;
        long lost = 0;
        long inconsistent = 0;
        long reordered = 0;
        long underReplicated = 0;
        for (SequencedProducer producer : producers) {
            List<SequencedProducer.Ack> acks = producer.acks();
            acks.sort(Comparator.comparingLong(SequencedProducer.Ack::counter));
            Map<Integer, Long> lastReadOffset = new HashMap<>();
            for (SequencedProducer.Ack ack : acks) {
                acknowledged++;
                String value = producer.value(ack.counter());
                Long offset = offsetByValue.getOrDefault(ack.partition(), Map.of()).get(value);
                if (offset == null) {
                    lost++;
                    note(problems, "lost: " + value + " acknowledged at offset " + ack.offset() + " of partition "
                            + ack.partition() + ", not read");
                } else {
                    if (offset != ack.offset()) {
                        inconsistent++;
                        note(problems, "inconsistent: " + value + " acknowledged at offset " + ack.offset()
                                + " of partition " + ack.partition() + ", read at " + offset);
                    }
                    Long previous = lastReadOffset.put(ack.partition(), offset);
                    if (previous != null && offset <= previous) {
                        reordered++;
                        note(problems, "reordered: " + value + " read at offset " + offset + " of partition "
                                + ack.partition() + ", not after the producer's previous acknowledged record ("
                                + previous + ")");
                    }
                }
                Map<Integer, Set<String>> replicas = diskSets.getOrDefault(ack.partition(), Map.of());
                long copies = replicas.values().stream().filter(values -> values.contains(value)).count();
                if (copies < minInsync) {
                    underReplicated++;
                    note(problems, "under-replicated: " + value + " (partition " + ack.partition() + ") in "
                            + copies + " replicas' segment files");
                }
            }
        }
        return new Result(acknowledged, readCount, lost, inconsistent, duplicated, reordered, underReplicated,
                List.copyOf(problems));
    }

    private static List<String> dedupe(List<String> values) {
        return values.stream().filter(v -> v != null).distinct().toList();
    }

    private static void note(List<String> problems, String line) {
        if (problems.size() < DETAIL_LINES) {
            problems.add(line);
        }
    }
}
