package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transactional offsets end to end with kafka-clients (KIP-98, KIP-447): a consume–transform–produce loop commits its
 * input offsets with {@code sendOffsetsToTransaction}; the group's committed offsets appear only after
 * {@code commitTransaction}, never after {@code abortTransaction}, and a {@code read_committed} consumer (OffsetFetch
 * with {@code RequireStable}) does not read them while the transaction is open.
 */
class TransactionalOffsetsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4", "transaction.state.log.num.partitions", "4"));
    static final TopicPartition IN = new TopicPartition("txn-in", 0);
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        samsa.get().createTopic("txn-in", 1, Map.of());
        samsa.get().createTopic("txn-out", 1, Map.of());
        admin = Clients.admin(samsa.get().bootstrapServers());
        try (KafkaProducer<String, String> producer = Clients.producer(samsa.get().bootstrapServers(), Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(IN.topic(), 0, "k" + i, "v" + i)).get();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    static KafkaProducer<String, String> transactionalProducer(String id) {
        return Clients.producer(samsa.get().bootstrapServers(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
    }

    static KafkaConsumer<String, String> readCommittedConsumer(String group) {
        return Clients.consumer(samsa.get().bootstrapServers(), Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5));
    }

    /** The group's committed offset of the input partition as Admin sees it (no RequireStable), or null. */
    static Long committedOffset(String group) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(IN);
        return o == null ? null : o.offset();
    }

    /** Polls until {@code n} records arrived (or fails after 30 s). */
    static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int n) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            records.forEach(out::add);
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(n);
        return out.subList(0, n);
    }

    /** One loop step: copies {@code records} upper-cased to txn-out and sends their offsets into the transaction. */
    static void transform(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
                          List<ConsumerRecord<String, String>> records) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            producer.send(new ProducerRecord<>("txn-out", r.key(), r.value().toUpperCase()));
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    }

    @Test
    void committedOffsetsAppearOnlyWhenTheTransactionCommits() throws Exception {
        String group = "copier-1";
        try (KafkaProducer<String, String> producer = transactionalProducer("copier-1");
             KafkaConsumer<String, String> consumer = readCommittedConsumer(group)) {
            producer.initTransactions();
            consumer.subscribe(List.of(IN.topic()));

            // an aborted step: the group keeps no offset
            transform(producer, consumer, poll(consumer, 5));
            producer.abortTransaction();
            assertThat(committedOffset(group)).isNull();

            // a committed step after rewinding: the offset appears with the commit, not before
            consumer.seek(IN, 0);
            transform(producer, consumer, poll(consumer, 5));
            assertThat(committedOffset(group)).isNull();
            producer.commitTransaction();
            // EndTxn answers before the markers are written (as on Kafka): the consumer's RequireStable fetch waits
            assertThat(consumer.committed(Set.of(IN), Duration.ofSeconds(15)).get(IN).offset()).isEqualTo(5);
            assertThat(committedOffset(group)).isEqualTo(5);

            // the next step aborts: the committed offset stays at 5
            transform(producer, consumer, poll(consumer, 5));
            producer.abortTransaction();
            assertThat(committedOffset(group)).isEqualTo(5);
        }
    }

    @Test
    void requireStableFetchesWaitForTheOpenTransaction() throws Exception {
        String group = "copier-2";
        try (KafkaProducer<String, String> producer = transactionalProducer("copier-2");
             KafkaConsumer<String, String> consumer = readCommittedConsumer(group)) {
            producer.initTransactions();
            consumer.assign(List.of(IN));
            consumer.commitSync(Map.of(IN, new OffsetAndMetadata(2)));
            consumer.seek(IN, 2);
            transform(producer, consumer, poll(consumer, 5));

            // while the transaction is open: a plain fetch answers the last committed offset; RequireStable answers
            // UNSTABLE_OFFSET_COMMIT, which the consumer retries until its timeout and Admin leaves out
            assertThat(committedOffset(group)).isEqualTo(2);
            assertThatThrownBy(() -> consumer.committed(Set.of(IN), Duration.ofSeconds(2)))
                    .isInstanceOf(TimeoutException.class);
            assertThat(admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get()).doesNotContainKey(IN);

            producer.commitTransaction();
            assertThat(consumer.committed(Set.of(IN), Duration.ofSeconds(10)).get(IN).offset()).isEqualTo(7);
            assertThat(admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get().get(IN).offset()).isEqualTo(7);
        }
    }
}
