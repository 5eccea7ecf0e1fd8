package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.group.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incremental fetch sessions (KIP-227) from raw Fetch requests at v16 (topic ids), as kafka-clients' consumers and
 * Samsa's followers use them: a full fetch opens a session, an incremental one is answered with only what changed,
 * forgotten partitions leave it, the final epoch closes it, and a wrong epoch or an unknown session is refused.
 */
class FetchSessionsIT {
    static final short VERSION = 16;

    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of());
    static Uuid topicId;

    @BeforeAll
    static void topic() throws Exception {
        topicId = samsa.get().createTopic("sessions", 3, Map.of());
    }

    static void produce(int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(samsa.get().bootstrapServers(), Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("sessions", partition, null, "v" + i)).get();
            }
        }
    }

    static FetchRequestData.FetchTopic topic(long... offsets) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        for (int p = 0; p < offsets.length; p++) {
            if (offsets[p] >= 0) {
                topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(p)
                        .setFetchOffset(offsets[p]).setPartitionMaxBytes(1 << 20));
            }
        }
        return topic;
    }

    static FetchResponse fetch(RawClient raw, int sessionId, int epoch, List<FetchRequestData.FetchTopic> topics,
                               List<Integer> forget) throws Exception {
        FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1 << 20).setSessionId(sessionId).setSessionEpoch(epoch).setTopics(topics);
        if (!forget.isEmpty()) {
            data.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(topicId)
                    .setPartitions(forget));
        }
        return raw.send(new FetchRequest.SimpleBuilder(data), VERSION);
    }

    /** Partition index → the values of the records answered for it (empty list: answered without records). */
    static Map<Integer, List<String>> answered(FetchResponse response) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (FetchResponseData.FetchableTopicResponse t : response.data().responses()) {
            for (FetchResponseData.PartitionData p : t.partitions()) {
                List<String> values = new ArrayList<>();
                for (RecordBatch batch : FetchResponse.recordsOrFail(p).batches()) {
                    for (Record r : batch) {
                        byte[] v = new byte[r.valueSize()];
                        r.value().get(v);
                        values.add(new String(v));
                    }
                }
                out.put(p.partitionIndex(), values);
            }
        }
        return out;
    }

    @Test
    void anIncrementalFetchIsAnsweredWithOnlyWhatChanged() throws Exception {
        produce(1, 3);
        try (RawClient raw = new RawClient(samsa.get().bootstrapServers())) {
            // Given a full fetch of the three partitions, which opens a session
            FetchResponse full = fetch(raw, 0, 0, List.of(topic(0, 0, 0)), List.of());
            int session = full.data().sessionId();
            assertThat(full.error()).isEqualTo(Errors.NONE);
            assertThat(session).isNotZero();
            assertThat(answered(full)).isEqualTo(Map.of(0, List.of(), 1, List.of("v0", "v1", "v2"), 2, List.of()));

            // When the client fetches incrementally, naming only partition 1 (read up to its end: offset 3)
            FetchResponse nothing = fetch(raw, session, 1, List.of(topic(-1, 3, -1)), List.of());

            // Then nothing has changed: the answer names no partition
            assertThat(nothing.error()).isEqualTo(Errors.NONE);
            assertThat(nothing.data().sessionId()).isEqualTo(session);
            assertThat(answered(nothing)).isEmpty();

            // When two records reach partition 2, a request naming no partition gets them (offsets from the session)
            produce(2, 2);
            FetchResponse changed = fetch(raw, session, 2, List.of(), List.of());
            assertThat(answered(changed)).isEqualTo(Map.of(2, List.of("v0", "v1")));
            assertThat(changed.data().responses().getFirst().partitions().getFirst().highWatermark()).isEqualTo(2);

            // A request at an epoch already used, or for a session that does not exist, is refused
            assertThat(fetch(raw, session, 2, List.of(), List.of()).error())
                    .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            assertThat(fetch(raw, session + 1, 1, List.of(), List.of()).error())
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

            // When partition 2 is forgotten, its next records are not answered; partition 0's are
            FetchResponse forgot = fetch(raw, session, 3, List.of(), List.of(2));
            assertThat(answered(forgot)).isEmpty();
            produce(2, 1);
            produce(0, 1);
            assertThat(answered(fetch(raw, session, 4, List.of(), List.of()))).isEqualTo(Map.of(0, List.of("v0")));

            // When the client closes the session (final epoch), the answer is a full sessionless one
            FetchResponse closing = fetch(raw, session, -1, List.of(topic(1, 3, -1)), List.of());
            assertThat(closing.data().sessionId()).isZero();
            assertThat(answered(closing).keySet()).containsExactly(0, 1);
            assertThat(fetch(raw, session, 5, List.of(), List.of()).error())
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
    }

    @Test
    void aConsumerReadsManyPartitionsThroughItsSession() throws Exception {
        // Given 24 partitions, a consumer of all of them (kafka-clients opens a session with the broker)
        samsa.get().createTopic("many", 24, Map.of());
        try (KafkaConsumer<String, String> consumer = Clients.consumer(samsa.get().bootstrapServers(),
                     Map.of("fetch.max.wait.ms", 50));
             KafkaProducer<String, String> producer = Clients.producer(samsa.get().bootstrapServers(), Map.of())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < 24; p++) {
                all.add(new TopicPartition("many", p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            consumer.poll(java.time.Duration.ofMillis(200)); // the session's full fetch, before any data

            // When records arrive in waves on a few partitions at a time, while the consumer polls incrementally
            List<String> sent = new ArrayList<>();
            List<String> received = new ArrayList<>();
            for (int wave = 0; wave < 6; wave++) {
                for (int p = wave; p < 24; p += 6) {
                    String value = wave + "-" + p;
                    producer.send(new ProducerRecord<>("many", p, null, value)).get();
                    sent.add(value);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(100))) {
                    received.add(r.value());
                }
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                    received.add(r.value());
                }
            }

            // Then every record is read exactly once
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
