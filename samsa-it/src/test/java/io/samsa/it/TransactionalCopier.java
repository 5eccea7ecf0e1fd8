package io.samsa.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The textbook exactly-once copier, on its own thread: a read_committed consumer of group {@code copier} polls
 * {@code in}, a producer with {@code transactional.id} {@code copier} writes each record to the same partition of
 * {@code out} and sends the consumer's offsets to the transaction, which commits. A failed transaction is aborted and
 * the consumer rewound to the group's committed offsets (a producer whose abort fails too is replaced by a new
 * instance, which fences it); a timed-out commit is retried, as the client requires. {@link #limit} holds the copier
 * back (it pauses its partitions) once it has copied that many records, so a test can place faults mid-stream.
 * Thread-safe: the counters are atomics; the clients belong to the copier's thread.
 */
final class TransactionalCopier implements AutoCloseable {
    private final String bootstrap;
    private final String in;
    private final String out;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Copy no more than (about, one poll past) this many records; raise it to let the copier go on. */
    final AtomicLong limit = new AtomicLong(Long.MAX_VALUE);

    TransactionalCopier(String bootstrap, String in, String out) {
        this.bootstrap = bootstrap;
        this.in = in;
        this.out = out;
        this.thread = new Thread(this::run, "transactional-copier");
    }

    void start() {
        thread.start();
    }

    /** Records in committed transactions so far. */
    long copied() {
        return copied.get();
    }

    /** Transactions aborted after a failure so far. */
    long aborted() {
        return aborted.get();
    }

    /** The failure that stopped the copier, if any. */
    Throwable failure() {
        return failure.get();
    }

    private KafkaProducer<String, String> newProducer() {
        KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "copier",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        producer.initTransactions();
        return producer;
    }

    private void run() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "copier",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000))) {
            KafkaProducer<String, String> producer = newProducer();
            try {
                consumer.subscribe(List.of(in));
                while (!stop.get()) {
                    Set<TopicPartition> assigned = consumer.assignment();
                    if (copied.get() >= limit.get()) {
                        consumer.pause(assigned);
                    } else {
                        consumer.resume(consumer.paused());
                    }
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    try {
                        copy(producer, consumer, records);
                        copied.addAndGet(records.count());
                    } catch (ProducerFencedException e) {
                        throw e; // no other instance runs: being fenced is a bug
                    } catch (KafkaException e) {
                        aborted.incrementAndGet();
                        try {
                            producer.abortTransaction();
                        } catch (KafkaException abortFailed) {
                            producer.close(Duration.ZERO);
                            producer = newProducer();
                        }
                        rewind(consumer);
                    }
                }
            } finally {
                producer.close(Duration.ZERO);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private void copy(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
            ConsumerRecords<String, String> records) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            producer.send(new ProducerRecord<>(out, r.partition(), r.key(), r.value()));
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Seeks every assigned partition back to the group's committed offset (its beginning when none). */
    private static void rewind(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata o = committed.get(tp);
            if (o == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, o.offset());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(Duration.ofSeconds(60));
    }
}
