package io.samsa.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.group.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction APIs at the versions kafka-clients' producer does not use: batched FindCoordinator, the
 * broker-side AddPartitionsToTxn v4+ (KIP-890 verification and v5 implicit adds), AddOffsetsToTxn, EndTxn v5's epoch
 * bump (Transactions V2) and ListTransactions filters.
 */
class TransactionApisIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void everyVersionOfTheTransactionApis() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir); RawClient raw = new RawClient(samsa.bootstrapServers());
             Admin admin = samsa.admin()) {
            samsa.createTopic("raw-out", 2, Map.of());

            // FindCoordinator v4: a batch of TRANSACTION keys, all coordinated by the single node
            FindCoordinatorResponse found = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                    .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                    .setCoordinatorKeys(List.of("r1", "r2"))), (short) 4);
            assertThat(found.data().coordinators()).hasSize(2).allSatisfy(c -> {
                assertThat(c.errorCode()).isEqualTo(Errors.NONE.code());
                assertThat(c.port()).isEqualTo(samsa.broker().port());
            });

            // InitProducerId (once the partition is loaded)
            AtomicReference<InitProducerIdResponse> init = new AtomicReference<>();
            await().atMost(WAIT).until(() -> {
                init.set(raw.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                        .setTransactionalId("r1").setTransactionTimeoutMs(60_000)), (short) 5));
                return init.get().error() == Errors.NONE;
            });
            long pid = init.get().data().producerId();
            short epoch = init.get().data().producerEpoch();

            // AddPartitionsToTxn v3: an unknown topic fails it and leaves the others not attempted
            AddPartitionsToTxnResponse unknown = raw.send(AddPartitionsToTxnRequest.Builder.forClient("r1", pid, epoch,
                    List.of(new TopicPartition("raw-out", 0), new TopicPartition("nope", 0))), (short) 3);
            assertThat(unknown.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID)).isEqualTo(Map.of(
                    new TopicPartition("raw-out", 0), Errors.OPERATION_NOT_ATTEMPTED,
                    new TopicPartition("nope", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION));
            AddPartitionsToTxnResponse added = raw.send(AddPartitionsToTxnRequest.Builder.forClient("r1", pid, epoch,
                    List.of(new TopicPartition("raw-out", 0))), (short) 3);
            assertThat(added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID))
                    .isEqualTo(Map.of(new TopicPartition("raw-out", 0), Errors.NONE));

            // AddOffsetsToTxn: the group's __consumer_offsets partition joins
            AddOffsetsToTxnResponse offsets = raw.send(new AddOffsetsToTxnRequest.Builder(new AddOffsetsToTxnRequestData()
                    .setTransactionalId("r1").setProducerId(pid).setProducerEpoch(epoch).setGroupId("g")), (short) 4);
            assertThat(offsets.data().errorCode()).isEqualTo(Errors.NONE.code());

            // AddPartitionsToTxn v4 VerifyOnly (KIP-890 part 1): which partitions are in the transaction
            AddPartitionsToTxnResponse verified = raw.send(AddPartitionsToTxnRequest.Builder.forBroker(
                    transactions("r1", pid, epoch, true, 0, 1)), (short) 4);
            assertThat(verified.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(verified.errors().get("r1")).isEqualTo(Map.of(new TopicPartition("raw-out", 0), Errors.NONE,
                    new TopicPartition("raw-out", 1), Errors.TRANSACTION_ABORTABLE));
            AddPartitionsToTxnResponse fenced = raw.send(AddPartitionsToTxnRequest.Builder.forBroker(
                    transactions("r1", pid, (short) (epoch + 5), true, 0)), (short) 4);
            assertThat(fenced.errors().get("r1")).containsEntry(new TopicPartition("raw-out", 0),
                    Errors.PRODUCER_FENCED);

            // AddPartitionsToTxn v5 without VerifyOnly: the implicit add of Transactions V2
            AddPartitionsToTxnResponse implicit = raw.send(AddPartitionsToTxnRequest.Builder.forBroker(
                    transactions("r1", pid, epoch, false, 1)), (short) 5);
            assertThat(implicit.errors().get("r1")).isEqualTo(Map.of(new TopicPartition("raw-out", 1), Errors.NONE));
            int offsetsPartition = Utils.abs("g".hashCode()) % 50;
            assertThat(admin.describeTransactions(List.of("r1")).description("r1").get().topicPartitions())
                    .containsExactlyInAnyOrder(new TopicPartition("raw-out", 0), new TopicPartition("raw-out", 1),
                            new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, offsetsPartition));

            // ListTransactions v1: unknown states are echoed; the duration filter (KIP-994)
            ListTransactionsResponse listed = raw.send(new ListTransactionsRequest.Builder(
                    new ListTransactionsRequestData().setStateFilters(List.of("Ongoing", "Bogus"))
                            .setDurationFilter(0)), (short) 1);
            assertThat(listed.data().unknownStateFilters()).containsExactly("Bogus");
            assertThat(listed.data().transactionStates()).extracting(s -> s.transactionalId()).containsExactly("r1");
            ListTransactionsResponse young = raw.send(new ListTransactionsRequest.Builder(
                    new ListTransactionsRequestData().setDurationFilter(3_600_000)), (short) 1);
            assertThat(young.data().transactionStates()).isEmpty();

            // EndTxn v5 (Transactions V2): the epoch is bumped at the end and returned
            EndTxnResponse ended = raw.send(new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId("r1")
                    .setProducerId(pid).setProducerEpoch(epoch).setCommitted(true), true), (short) 5);
            assertThat(ended.error()).isEqualTo(Errors.NONE);
            assertThat(ended.data().producerId()).isEqualTo(pid);
            assertThat(ended.data().producerEpoch()).isEqualTo((short) (epoch + 1));
            await().atMost(WAIT).untilAsserted(() -> assertThat(admin.describeTransactions(List.of("r1"))
                    .description("r1").get().state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
            // a retry with the old epoch is answered with the new one
            EndTxnResponse retried = raw.send(new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId("r1")
                    .setProducerId(pid).setProducerEpoch(epoch).setCommitted(true), true), (short) 5);
            assertThat(retried.error()).isEqualTo(Errors.NONE);
            assertThat(retried.data().producerEpoch()).isEqualTo((short) (epoch + 1));
        }
    }

    private static AddPartitionsToTxnTransactionCollection transactions(String id, long pid, short epoch,
                                                                        boolean verifyOnly, int... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName("raw-out")
                .setPartitions(java.util.Arrays.stream(partitions).boxed().toList()));
        AddPartitionsToTxnTransactionCollection txns = new AddPartitionsToTxnTransactionCollection();
        txns.add(new AddPartitionsToTxnTransaction().setTransactionalId(id).setProducerId(pid)
                .setProducerEpoch(epoch).setVerifyOnly(verifyOnly).setTopics(topics));
        return txns;
    }
}
