package io.samsa.it.group;

import io.samsa.it.EmbeddedSamsa;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group member on its own thread: subscribes, polls, records every value it sees and commits synchronously
 * after each poll (at-least-once). {@link #hang()} makes it stop polling without closing (a stuck process);
 * {@link #close()} leaves the group cleanly.
 */
final class GroupMember implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Set<String> seen;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean hung = new AtomicBoolean();
    private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    GroupMember(EmbeddedSamsa samsa, String topic, Map<String, Object> props, Set<String> seen, String name) {
        this.consumer = samsa.consumer(props);
        this.seen = seen;
        this.thread = new Thread(() -> loop(topic), name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static Set<String> sharedSeen() {
        return ConcurrentHashMap.newKeySet();
    }

    private void loop(String topic) {
        try {
            consumer.subscribe(java.util.List.of(topic));
            while (running.get()) {
                if (hung.get()) {
                    synchronized (hung) {
                        hung.wait(100);
                    }
                    continue;
                }
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> r : records) {
                    seen.add(r.value());
                }
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync();
                    } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                             | org.apache.kafka.clients.consumer.CommitFailedException e) {
                        // the records are seen again after the rebalance: at-least-once
                    }
                }
                assignment.set(Set.copyOf(consumer.assignment()));
            }
        } catch (org.apache.kafka.common.errors.WakeupException | InterruptedException e) {
            // closing
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            if (!hung.get()) {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }
    }

    Set<TopicPartition> assignment() {
        return assignment.get();
    }

    Throwable failure() {
        return failure.get();
    }

    /** Stops polling (and committing) without leaving: the group must notice and move its partitions. */
    void hang() {
        hung.set(true);
        assignment.set(Set.of());
    }

    @Override
    public void close() throws InterruptedException {
        boolean wasHung = hung.get();
        running.set(false);
        if (!wasHung) {
            consumer.wakeup();
        }
        thread.join(10_000);
        if (wasHung) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
        }
    }
}
