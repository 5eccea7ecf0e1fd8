package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.txnverify.TransactionOperation;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
}
