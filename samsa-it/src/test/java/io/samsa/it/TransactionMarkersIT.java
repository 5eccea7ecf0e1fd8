package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.group.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition side of transactions (KIP-98) with real clients: transactional batches and WriteTxnMarkers sent as raw
 * requests (the coordinator's part), read back by real {@code read_committed} and {@code read_uncommitted}
 * KafkaConsumers, ListOffsets at both isolation levels and DescribeProducers, before and after a restart.
 */
class TransactionMarkersIT {
    /**
     * These raw transactional batches have no transaction coordinator behind them: as on Kafka, the partition
     * verification of KIP-890 is turned off for them (with it on, the leader refuses them, NOT_ENOUGH_REPLICAS).
     */
    static final Map<String, String> NO_VERIFICATION = Map.of("transaction.partition.verification.enable", "false");

    static final String TOPIC = "txn-markers";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final long COMMITTED = 7_001L;
    private static final long ABORTED = 7_002L;
    private static final long HANGING = 7_003L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    @Test
    void readCommittedConsumersSeeOnlyCommittedDataAcrossARestart() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, NO_VERIFICATION)) {
            samsa.createTopic(TOPIC, 1, Map.of());
            try (RawClient raw = new RawClient(samsa.bootstrapServers())) {
                // Given a committed and an aborted transaction interleaved with a plain record
                produce(raw, transactional(COMMITTED, 0, "c0", "c1"));
                produce(raw, transactional(ABORTED, 0, "a0", "a1"));
                produce(raw, MemoryRecords.withRecords(Compression.NONE, record("p0")));
                assertThat(latest(samsa, IsolationLevel.READ_COMMITTED)).as("LSO with both open").isZero();
                assertThat(latest(samsa, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(5);

                assertThat(markers(raw, COMMITTED, EPOCH, TransactionResult.COMMIT, TP)).isEqualTo(Errors.NONE);
                assertThat(markers(raw, ABORTED, EPOCH, TransactionResult.ABORT, TP)).isEqualTo(Errors.NONE);

                // and one more transaction left open at offset 7
                produce(raw, transactional(HANGING, 0, "h0"));

                // Then (and after a restart without writing first) read_committed sees only committed data
                assertVisible(samsa);
            }

            samsa.restart();
            assertVisible(samsa);

            // When the open transaction is aborted after the restart
            try (RawClient raw = new RawClient(samsa.bootstrapServers())) {
                assertThat(markers(raw, HANGING, EPOCH, TransactionResult.ABORT, TP)).isEqualTo(Errors.NONE);
            }
            // Then the last stable offset reaches the log end and read_committed still skips every aborted record
            assertThat(latest(samsa, IsolationLevel.READ_COMMITTED)).isEqualTo(9);
            assertThat(values(samsa, IsolationLevel.READ_COMMITTED)).containsExactly("c0", "c1", "p0");

            // and markers are fenced as Kafka fences them
            try (RawClient raw = new RawClient(samsa.bootstrapServers())) {
                assertThat(markers(raw, COMMITTED, (short) 1, 3, TransactionResult.ABORT, TP)).isEqualTo(Errors.NONE);
                assertThat(markers(raw, COMMITTED, EPOCH, 3, TransactionResult.ABORT, TP))
                        .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
                assertThat(markers(raw, COMMITTED, (short) 1, 2, TransactionResult.ABORT, TP))
                        .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
                assertThat(markers(raw, COMMITTED, (short) 1, 3, TransactionResult.ABORT,
                        new TopicPartition("no-such-topic", 0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
    }

    private static void assertVisible(EmbeddedSamsa samsa) throws Exception {
        // offsets: c0 c1 a0 a1 p0 COMMIT(5) ABORT(6) h0(7)
        assertThat(latest(samsa, IsolationLevel.READ_COMMITTED)).as("LSO").isEqualTo(7);
        assertThat(latest(samsa, IsolationLevel.READ_UNCOMMITTED)).as("HW").isEqualTo(8);
        assertThat(values(samsa, IsolationLevel.READ_COMMITTED)).containsExactly("c0", "c1", "p0");
        assertThat(values(samsa, IsolationLevel.READ_UNCOMMITTED)).containsExactly("c0", "c1", "a0", "a1", "p0", "h0");
        try (Admin admin = samsa.admin()) {
            List<ProducerState> producers = admin.describeProducers(List.of(TP)).partitionResult(TP).get()
                    .activeProducers();
            assertThat(producers).extracting(ProducerState::producerId)
                    .containsExactlyInAnyOrder(COMMITTED, ABORTED, HANGING);
            ProducerState hanging = producers.stream().filter(p -> p.producerId() == HANGING).findFirst()
                    .orElseThrow();
            assertThat(hanging.currentTransactionStartOffset()).hasValue(7L);
            ProducerState committed = producers.stream().filter(p -> p.producerId() == COMMITTED).findFirst()
                    .orElseThrow();
            assertThat(committed.currentTransactionStartOffset()).isEmpty();
            assertThat(committed.coordinatorEpoch()).hasValue(3);
        }
    }

    private static List<String> values(EmbeddedSamsa samsa, IsolationLevel isolation) {
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of("isolation.level",
                isolation.toString().toLowerCase(java.util.Locale.ROOT)))) {
            return LogReader.readAll(consumer, List.of(TP), Duration.ofSeconds(60)).get(TP).stream()
                    .map(ConsumerRecord::value).toList();
        }
    }

    private static long latest(EmbeddedSamsa samsa, IsolationLevel isolation) throws Exception {
        try (Admin admin = samsa.admin()) {
            return admin.listOffsets(Map.of(TP, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                    .partitionResult(TP).get().offset();
        }
    }

    static SimpleRecord record(String value) {
        return new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
    }

    static MemoryRecords transactional(long producerId, int sequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = record(values[i]);
        }
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, EPOCH, sequence, records);
    }

    private static void produce(RawClient raw, MemoryRecords records) throws IOException {
        produce(raw, TOPIC, records);
    }

    /** Produces {@code records} to partition 0 of {@code topic} with acks=all; asserts NONE. */
    static void produce(RawClient raw, String topic, MemoryRecords records) throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(records.batches().iterator().next().isTransactional() ? "txn-markers-it" : null)
                .setTopicData(topics);
        // v11: a Transactions V1 client (v12+ asks the leader to add the partition to the transaction, KIP-890)
        ProduceResponse response = raw.send(ProduceRequest.builder(data), (short) 11);
        Errors error = Errors.forCode(response.data().responses().iterator().next().partitionResponses().getFirst()
                .errorCode());
        assertThat(error).as("produce").isEqualTo(Errors.NONE);
    }

    private static Errors markers(RawClient raw, long producerId, short epoch, TransactionResult result,
                                  TopicPartition tp) throws IOException {
        return markers(raw, producerId, epoch, 3, result, tp);
    }

    static Errors markers(RawClient raw, long producerId, short epoch, int coordinatorEpoch,
                          TransactionResult result, TopicPartition tp) throws IOException {
        WriteTxnMarkersRequest.TxnMarkerEntry entry = new WriteTxnMarkersRequest.TxnMarkerEntry(producerId, epoch,
                coordinatorEpoch, result, List.of(tp), (short) 0);
        WriteTxnMarkersResponse response = raw.send(new WriteTxnMarkersRequest.Builder(List.of(entry)),
                ApiKeys.WRITE_TXN_MARKERS.latestVersion());
        return response.errorsByProducerId().get(producerId).get(tp);
    }
}
