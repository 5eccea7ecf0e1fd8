package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transactional request checks that need no transaction coordinator, from raw requests: Produce with
 * transactional batches but no transactional id, or of two producers; TxnOffsetCommit for unknown topics, an empty
 * group id and a member of an unknown group; OffsetFetch v7 with {@code RequireStable} answers committed offsets when
 * no transaction is open.
 */
class TransactionalRequestsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("offsets.topic.num.partitions", "2",
            // raw requests with no transaction coordinator behind them: KIP-890 verification off, as on Kafka
            "transaction.partition.verification.enable", "false"));
    static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        samsa.get().createTopic("txn", 2, Map.of());
        raw = new RawClient(samsa.get().bootstrapServers());
        FindCoordinatorResponse found = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType((byte) 0).setCoordinatorKeys(List.of("g"))), (short) 4);
        assertThat(found.data().coordinators().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        for (String group : List.of("g", "never-joined")) { // wait until the shards of both groups are loaded
            await().atMost(Duration.ofSeconds(30)).until(() -> fetchStable(group).data().errorCode()
                    != Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (raw != null) {
            raw.close();
        }
    }

    static OffsetFetchResponse fetchStable(String group) throws Exception {
        return raw.send(OffsetFetchRequest.Builder.forTopicNames(new OffsetFetchRequestData().setGroupId(group)
                .setRequireStable(true).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("txn").setPartitionIndexes(List.of(0, 1)))), true), (short) 7);
    }

    static ProduceRequestData produce(String transactionalId, MemoryRecords p0, MemoryRecords p1) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("txn");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(p0));
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(p1));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        return new ProduceRequestData().setTransactionalId(transactionalId).setAcks((short) -1).setTimeoutMs(5000)
                .setTopicData(topics);
    }

    static MemoryRecords transactional(long producerId) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, 0,
                new SimpleRecord("v".getBytes()));
    }

    static Errors produceError(ProduceResponse response, int partition) {
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().stream()
                .filter(p -> p.index() == partition).findFirst().orElseThrow().errorCode());
    }

    @Test
    void transactionalBatchesNeedATransactionalIdAndASingleProducer() throws Exception {
        ProduceResponse noId = raw.send(ProduceRequest.builder(produce(null, transactional(1000),
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("plain".getBytes())))), (short) 11);
        assertThat(produceError(noId, 0)).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(produceError(noId, 1)).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);

        ProduceResponse twoProducers = raw.send(ProduceRequest.builder(produce("tx", transactional(1000),
                transactional(1001))), (short) 11);
        assertThat(produceError(twoProducers, 0)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    static TxnOffsetCommitResponseData txnCommit(String group, int generation, String topic) throws Exception {
        TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData().setTransactionalId("tx").setGroupId(group)
                .setProducerId(1000).setProducerEpoch((short) 0).setGenerationId(generation).setMemberId("m")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(5)))));
        TxnOffsetCommitResponse response = raw.send(new TxnOffsetCommitRequest.Builder(data), (short) 3);
        return response.data();
    }

    static Errors firstError(TxnOffsetCommitResponseData r) {
        return Errors.forCode(r.topics().getFirst().partitions().getFirst().errorCode());
    }

    @Test
    void txnOffsetCommitChecksTopicsGroupIdAndGeneration() throws Exception {
        assertThat(firstError(txnCommit("g", -1, "no-such-topic"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(firstError(txnCommit("", -1, "txn"))).isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(firstError(txnCommit("never-joined", 3, "txn"))).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void requireStableAnswersCommittedOffsetsWhenNoTransactionIsOpen() throws Exception {
        OffsetCommitResponse committed = raw.send(OffsetCommitRequest.Builder.forTopicNames(
                new OffsetCommitRequestData()
                .setGroupId("g").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("txn")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(42)))))), (short) 8);
        assertThat(committed.data().topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.NONE.code());

        OffsetFetchResponse fetched = fetchStable("g");
        assertThat(fetched.data().topics().getFirst().partitions()).satisfiesExactly(
                p -> assertThat(p.committedOffset()).isEqualTo(42),
                p -> assertThat(p.committedOffset()).isEqualTo(-1));
        fetched.data().topics().getFirst().partitions().forEach(p ->
                assertThat(p.errorCode()).isEqualTo(Errors.NONE.code()));
    }
}
