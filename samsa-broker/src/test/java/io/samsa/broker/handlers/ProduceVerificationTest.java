package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.net.BrokerRequestSender;
import io.samsa.broker.txnverify.AddPartitionsToTxnManager;
import io.samsa.broker.txnverify.TransactionOperation;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.txn.VerificationGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The transactional side of Produce: finding the request's transaction and Kafka's produce error mapping. */
class ProduceVerificationTest {
    static final ClusterImage IMAGE = image();

    static ClusterImage image() {
        TopicImage t = new TopicImage("t", UUID.randomUUID(), List.of(new PartitionImage(0, List.of(1), List.of(1), 1,
                0, 0), new PartitionImage(1, List.of(1), List.of(1), 1, 0, 0)));
        return new ClusterImage("c", 1, 1, Map.of(), Map.of("t", t), Map.of(t.topicId(), t), Map.of(), 0, 1);
    }

    static MemoryRecords transactional(long producerId, short epoch) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord("v".getBytes()));
    }

    static MemoryRecords idempotent(long producerId) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, 0,
                new SimpleRecord("v".getBytes()));
    }

    static ProduceRequestData request(String transactionalId, MemoryRecords p0, MemoryRecords p1) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(p0));
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(p1));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        return new ProduceRequestData().setTransactionalId(transactionalId).setAcks((short) -1).setTopicData(topics);
    }

    @Test
    void theTransactionOfARequestIsItsProducerAndTheTransactionalPartitions() {
        ProduceVerification.Transaction txn = ProduceVerification.transactionOf(
                request("tx", transactional(5, (short) 2), idempotent(5)), IMAGE, false);

        assertThat(txn.transactionalId()).isEqualTo("tx");
        assertThat(txn.producerId()).isEqualTo(5);
        assertThat(txn.producerEpoch()).isEqualTo((short) 2);
        assertThat(txn.partitions()).containsExactly(new TopicPartition("t", 0));
        assertThat(ProduceVerification.transactionOf(request(null, idempotent(5), idempotent(5)), IMAGE, false)
                .partitions()).isEmpty();
    }

    @Test
    void transactionalBatchesNeedATransactionalIdAndOneProducer() {
        assertThatThrownBy(() -> ProduceVerification.transactionOf(
                request(null, transactional(5, (short) 0), idempotent(5)), IMAGE, false))
                .isInstanceOf(TransactionalIdAuthorizationException.class);
        assertThatThrownBy(() -> ProduceVerification.transactionOf(
                request("tx", transactional(5, (short) 0), transactional(6, (short) 0)), IMAGE, false))
                .isInstanceOf(InvalidPidMappingException.class);
    }

    static Errors produceError(Errors answer, TransactionOperation operation) {
        TopicPartition tp = new TopicPartition("t", 0);
        return Errors.forException(ProduceVerification.toProduceErrors(Map.of(tp, answer), operation).get(tp));
    }

    @Test
    void coordinatorAnswersBecomeTheProduceErrorsKafkaReturns() {
        Map<Errors, Errors> expected = Map.of(
                Errors.INVALID_TXN_STATE, Errors.INVALID_TXN_STATE,
                Errors.CONCURRENT_TRANSACTIONS, Errors.NOT_ENOUGH_REPLICAS,
                Errors.NETWORK_EXCEPTION, Errors.NOT_ENOUGH_REPLICAS,
                Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_ENOUGH_REPLICAS,
                Errors.COORDINATOR_NOT_AVAILABLE, Errors.NOT_ENOUGH_REPLICAS,
                Errors.NOT_COORDINATOR, Errors.NOT_ENOUGH_REPLICAS,
                Errors.INVALID_PRODUCER_EPOCH, Errors.INVALID_PRODUCER_EPOCH,
                Errors.TRANSACTION_ABORTABLE, Errors.TRANSACTION_ABORTABLE);
        expected.forEach((answer, produceError) -> assertThat(produceError(answer, TransactionOperation.GENERIC_ERROR))
                .as("%s", answer).isEqualTo(produceError));
        TopicPartition tp = new TopicPartition("t", 0);
        assertThat(ProduceVerification.toProduceErrors(Map.of(tp, Errors.INVALID_TXN_STATE),
                TransactionOperation.DEFAULT_ERROR).get(tp).getMessage())
                .isEqualTo("Partition was not added to the transaction");
        assertThat(ProduceVerification.toProduceErrors(Map.of(tp, Errors.COORDINATOR_NOT_AVAILABLE),
                TransactionOperation.DEFAULT_ERROR).get(tp).getMessage()).contains("COORDINATOR_NOT_AVAILABLE");
    }

    @Test
    void transactionsV2ClientsGetConcurrentTransactionsAsItIs() {
        assertThat(produceError(Errors.CONCURRENT_TRANSACTIONS, TransactionOperation.ADD_PARTITION))
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(produceError(Errors.NOT_COORDINATOR, TransactionOperation.ADD_PARTITION))
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(TransactionOperation.forProduce((short) 12)).isEqualTo(TransactionOperation.ADD_PARTITION);
        assertThat(TransactionOperation.forProduce((short) 11)).isEqualTo(TransactionOperation.GENERIC_ERROR);
        assertThat(TransactionOperation.forProduce((short) 10)).isEqualTo(TransactionOperation.DEFAULT_ERROR);
    }

    /** Records each AddPartitionsToTxn; the test answers it. */
    private static final class Coordinator implements BrokerRequestSender {
        final List<AddPartitionsToTxnRequestData> requests = new ArrayList<>();
        final List<CompletableFuture<AbstractResponse>> responses = new ArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public <R extends AbstractResponse> CompletableFuture<R> send(int brokerId,
                                                                      AbstractRequest.Builder<?> request) {
            requests.add(((AddPartitionsToTxnRequest) request.build(ApiKeys.ADD_PARTITIONS_TO_TXN.latestVersion()))
                    .data());
            CompletableFuture<AbstractResponse> response = new CompletableFuture<>();
            responses.add(response);
            return (CompletableFuture<R>) response;
        }

        void answerNone(int i) {
            AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection results =
                    new AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection();
            for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn : requests.get(i).transactions()) {
                Map<TopicPartition, Errors> none = new HashMap<>();
                txn.topics().forEach(t -> t.partitions().forEach(p -> none.put(new TopicPartition(t.name(), p),
                        Errors.NONE)));
                results.add(AddPartitionsToTxnResponse.resultForTransaction(txn.transactionalId(), none));
            }
            responses.get(i).complete(new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData()
                    .setResultsByTransaction(results)));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aGuardClearedByAMarkerWhileTheCoordinatorAnsweredIsVerifiedAgainUnderANewGuard() {
        // Given a partition log's guards (a marker of the producer clears them) and a coordinator on node 1
        Map<TopicPartition, VerificationGuard> logGuards = new HashMap<>();
        ProduceVerification.Guards guards = (tp, pid, epoch) -> logGuards.computeIfAbsent(tp,
                k -> VerificationGuard.of(pid, epoch));
        TopicImage txnTopic = new TopicImage(Topic.TRANSACTION_STATE_TOPIC_NAME, UUID.randomUUID(),
                List.of(new PartitionImage(0, List.of(1), List.of(1), 1, 0, 0)));
        ClusterImage image = new ClusterImage("c", 1, 1, Map.of(), Map.of(txnTopic.name(), txnTopic),
                Map.of(txnTopic.topicId(), txnTopic), Map.of(), 0, 1);
        Coordinator coordinator = new Coordinator();
        AddPartitionsToTxnManager manager = new AddPartitionsToTxnManager(coordinator, () -> image, Runnable::run);
        TopicPartition tp = new TopicPartition("t", 0);
        ProduceVerification.Transaction txn = new ProduceVerification.Transaction("app", 7, (short) 3, List.of(tp));

        // When the first batch of the next transaction is verified (Transactions V2: an implicit add)
        CompletableFuture<ProduceVerification.Verified> verified = ProduceVerification.verify(txn, (short) 12, guards,
                manager);
        VerificationGuard first = logGuards.get(tp);
        assertThat(coordinator.requests).hasSize(1);
        // and the previous transaction's marker reaches the partition before the coordinator answers
        logGuards.clear();
        coordinator.answerNone(0);

        // Then the partition is verified once more, under the guard started after the marker
        assertThat(verified).isNotDone();
        assertThat(coordinator.requests).hasSize(2);
        VerificationGuard second = logGuards.get(tp);
        assertThat(second).isNotSameAs(first);
        coordinator.answerNone(1);
        assertThat(verified).isCompleted();
        assertThat(verified.join().refused()).isEmpty();
        assertThat(verified.join().guard(tp)).isSameAs(second);

        // and without a marker in between, one verification is enough
        CompletableFuture<ProduceVerification.Verified> again = ProduceVerification.verify(
                new ProduceVerification.Transaction("app", 7, (short) 3, List.of(new TopicPartition("t", 1))),
                (short) 12, guards, manager);
        coordinator.answerNone(2);
        assertThat(coordinator.requests).hasSize(3);
        assertThat(again.join().refused()).isEmpty();
        assertThat(again.join().guard(new TopicPartition("t", 1))).isSameAs(logGuards.get(new TopicPartition("t", 1)));
    }
}
