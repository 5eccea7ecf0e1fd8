package io.samsa.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An idempotent {@code acks=all} kafka-clients producer on its own thread, writing records whose value is
 * {@code <name>-<counter>} (the counter numbers this producer's sends from 0) to partition
 * {@code counter % partitions}, at most {@link #grant granted} records: the owner releases send permits (a token
 * bucket), so the rate stays bounded while brokers fail. Every acknowledged send is kept with the time its callback
 * ran ({@link System#nanoTime}) and reported to an {@link AckListener}; failed sends are counted.
 *
 * <p>Thread-safe: the sending thread, the producer's I/O thread (callbacks) and the owner share only concurrent
 * structures. {@link #close} stops sending, waits for every outstanding send to complete or fail, and closes the
 * client.
 */
final class SequencedProducer implements AutoCloseable {
    /** Told of every acknowledged send, on the producer's I/O thread: keep it short. */
    @FunctionalInterface
    interface AckListener {
        void acked(int partition, long nanos);
    }

    /** One acknowledged send: the record {@code <name>-<counter>} is at {@code offset} of {@code partition}. */
    record Ack(int partition, long offset, long counter, long nanos) {
    }

    private final String name;
    private final String topic;
    private final int partitions;
    private final KafkaProducer<String, String> producer;
    private final AckListener listener;
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Semaphore permits = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts sending (as permits are granted).
     *
     * @param extra producer settings on top of {@code acks=all} and {@code enable.idempotence=true}
     */
    SequencedProducer(String name, String bootstrap, String topic, int partitions, Map<String, Object> extra,
                      AckListener listener) {
        this.name = name;
        this.topic = topic;
        this.partitions = partitions;
        this.listener = listener;
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        this.producer = Clients.producer(bootstrap, config);
        this.thread = new Thread(this::sendLoop, "sequenced-producer-" + name);
        thread.start();
    }

    String name() {
        return name;
    }

    /** The value of this producer's record number {@code counter}. */
    String value(long counter) {
        return name + "-" + counter;
    }

    /** Allows {@code records} more sends, keeping at most {@code cap} unused permits (no burst after a stall). */
    void grant(int records, int cap) {
        if (permits.availablePermits() < cap) {
            permits.release(records);
        }
    }

    private void sendLoop() {
        long counter = 0;
        while (running) {
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long n = counter++;
            int partition = (int) (n % partitions);
            sent.incrementAndGet();
            try {
                producer.send(new ProducerRecord<>(topic, partition, null, value(n)), (md, e) -> {
                    if (e == null) {
                        long now = System.nanoTime();
                        acks.add(new Ack(partition, md.offset(), n, now));
                        listener.acked(partition, now);
                    } else {
                        failed.incrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                failed.incrementAndGet(); // e.g. metadata not available within max.block.ms
            }
        }
    }

    long acknowledged() {
        return acks.size();
    }

    long failed() {
        return failed.get();
    }

    long sent() {
        return sent.get();
    }

    /** The acknowledged sends so far. */
    List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    /** Stops sending, then waits up to {@code atMost} for outstanding sends (the rest fail) and closes the client. */
    void close(Duration atMost) throws InterruptedException {
        running = false;
        thread.join(30_000);
        producer.close(atMost);
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(90));
    }
}
