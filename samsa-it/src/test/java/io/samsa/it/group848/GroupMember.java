package io.samsa.it.group848;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer-protocol member polling on its own thread: it records every value it consumes, then commits
 * synchronously (at least once), and tracks its assignment through the rebalance listener. {@link #close()} leaves the
 * group. Thread-safe views.
 */
final class GroupMember implements AutoCloseable {
    final Set<String> consumed = ConcurrentHashMap.newKeySet();
    final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    final Map<TopicPartition, Long> firstOffsets = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    GroupMember(String name, KafkaConsumer<String, String> consumer, List<String> topics) {
        this(name, consumer, (c, l) -> c.subscribe(topics, l));
    }

    /** A member that subscribes with {@code subscribe} (topics, a Pattern or a SubscriptionPattern). */
    GroupMember(String name, KafkaConsumer<String, String> consumer,
                BiConsumer<KafkaConsumer<String, String>, ConsumerRebalanceListener> subscribe) {
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assignment.removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignment.addAll(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                assignment.removeAll(partitions);
            }
        };
        thread = new Thread(() -> {
            try (consumer) {
                subscribe.accept(consumer, listener);
                while (running.get()) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, String> r : records) {
                        consumed.add(r.value());
                        firstOffsets.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync();
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The consumer's failure, if its loop died. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
