package io.samsa.broker.txnverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.broker.net.BrokerRequestSender;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.junit.jupiter.api.Test;

/** KIP-890 verification batching and error mapping, against a fake {@link BrokerRequestSender}. */
class AddPartitionsToTxnManagerTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final TopicPartition TP1 = new TopicPartition("t", 1);

    /** Records each request; the test completes its response. */
    static final class FakeSender implements BrokerRequestSender {
        record Sent(int brokerId, AddPartitionsToTxnRequestData data, CompletableFuture<AbstractResponse> response) {
        }

        final List<Sent> sent = new ArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <R extends AbstractResponse> CompletableFuture<R> send(int brokerId,
                                                                                AbstractRequest.Builder<?> request) {
            AddPartitionsToTxnRequest built = (AddPartitionsToTxnRequest) request.build(
                    ApiKeys.ADD_PARTITIONS_TO_TXN.latestVersion());
            CompletableFuture<AbstractResponse> response = new CompletableFuture<>();
            sent.add(new Sent(brokerId, built.data(), response));
            return (CompletableFuture<R>) response;
        }

        synchronized Sent last() {
            return sent.get(sent.size() - 1);
        }

        @Override
        public void close() {
        }
    }

    final FakeSender sender = new FakeSender();
    final AtomicReference<ClusterImage> image = new AtomicReference<>(imageWithCoordinators(3, 2));
    final AddPartitionsToTxnManager manager = new AddPartitionsToTxnManager(sender, image::get, Runnable::run);

    /** {@code __transaction_state} with {@code partitions} partitions, all led by {@code leader}. */
    static ClusterImage imageWithCoordinators(int partitions, int leader) {
        List<PartitionImage> ps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ps.add(new PartitionImage(p, List.of(leader), List.of(leader), leader, 0, 0));
        }
        TopicImage t = new TopicImage(Topic.TRANSACTION_STATE_TOPIC_NAME, UUID.randomUUID(), ps);
        ClusterImage empty = ClusterImage.empty();
        return new ClusterImage("c", 1, 1, empty.brokers(), Map.of(t.name(), t), Map.of(t.topicId(), t),
                empty.configs(), 0, 1);
    }

    static AddPartitionsToTxnResponse answer(AddPartitionsToTxnRequestData request,
                                             Map<String, Map<TopicPartition, Errors>> errors) {
        AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection results =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction txn : request.transactions()) {
            Map<TopicPartition, Errors> byTp = new java.util.HashMap<>();
            txn.topics().forEach(t -> t.partitions().forEach(p -> byTp.put(new TopicPartition(t.name(), p),
                    errors.getOrDefault(txn.transactionalId(), Map.of())
                            .getOrDefault(new TopicPartition(t.name(), p), Errors.NONE))));
            results.add(AddPartitionsToTxnResponse.resultForTransaction(txn.transactionalId(), byTp));
        }
        return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData().setResultsByTransaction(results));
    }

    static Map<TopicPartition, Errors> done(CompletableFuture<Map<TopicPartition, Errors>> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void verificationsWaitingForTheSameCoordinatorGoOutInOneRequest() throws Exception {
        // Given a verification in flight to the coordinator (node 2)
        CompletableFuture<Map<TopicPartition, Errors>> first = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        assertThat(sender.sent).hasSize(1);
        FakeSender.Sent inFlight = sender.last();
        assertThat(inFlight.brokerId()).isEqualTo(2);
        assertThat(inFlight.data().transactions().find("a").verifyOnly()).isTrue();

        // When two more arrive meanwhile
        CompletableFuture<Map<TopicPartition, Errors>> second = manager.verify("b", 2, (short) 0, List.of(TP, TP1),
                TransactionOperation.ADD_PARTITION);
        CompletableFuture<Map<TopicPartition, Errors>> third = manager.verify("c", 3, (short) 0, List.of(TP1),
                TransactionOperation.DEFAULT_ERROR);

        // Then they wait, and leave together, one transaction per entry, once the first is answered
        assertThat(sender.sent).hasSize(1);
        inFlight.response().complete(answer(inFlight.data(), Map.of()));
        assertThat(done(first)).isEmpty();
        assertThat(sender.sent).hasSize(2);
        AddPartitionsToTxnRequestData batch = sender.last().data();
        assertThat(batch.transactions()).hasSize(2);
        assertThat(batch.transactions().find("b").verifyOnly()).isFalse();
        assertThat(batch.transactions().find("b").topics().find("t").partitions()).containsExactly(0, 1);
        assertThat(batch.transactions().find("c").verifyOnly()).isTrue();

        sender.last().response().complete(answer(batch, Map.of("c", Map.of(TP1, Errors.INVALID_TXN_STATE))));
        assertThat(done(second)).isEmpty();
        assertThat(done(third)).containsExactly(Map.entry(TP1, Errors.INVALID_TXN_STATE));
    }

    @Test
    void coordinatorErrorsAreMappedAsKafkaMapsThem() throws Exception {
        CompletableFuture<Map<TopicPartition, Errors>> fenced = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.PRODUCER_FENCED))));
        assertThat(done(fenced)).containsExactly(Map.entry(TP, Errors.INVALID_PRODUCER_EPOCH));

        CompletableFuture<Map<TopicPartition, Errors>> old = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.DEFAULT_ERROR);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.TRANSACTION_ABORTABLE))));
        assertThat(done(old)).containsExactly(Map.entry(TP, Errors.INVALID_TXN_STATE));

        CompletableFuture<Map<TopicPartition, Errors>> generic = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.TRANSACTION_ABORTABLE))));
        assertThat(done(generic)).containsExactly(Map.entry(TP, Errors.TRANSACTION_ABORTABLE));

        CompletableFuture<Map<TopicPartition, Errors>> denied = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().complete(new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData()
                .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())));
        assertThat(done(denied)).containsExactly(Map.entry(TP, Errors.INVALID_TXN_STATE));
    }

    @Test
    void aNewerEpochReplacesAWaitingVerificationAndAnOlderOneIsFenced() throws Exception {
        CompletableFuture<Map<TopicPartition, Errors>> inFlight = manager.verify("x", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        CompletableFuture<Map<TopicPartition, Errors>> waiting = manager.verify("a", 1, (short) 5, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        CompletableFuture<Map<TopicPartition, Errors>> retry = manager.verify("a", 1, (short) 5, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        assertThat(done(waiting)).containsExactly(Map.entry(TP, Errors.NETWORK_EXCEPTION));

        CompletableFuture<Map<TopicPartition, Errors>> zombie = manager.verify("a", 1, (short) 4, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        assertThat(done(zombie)).containsExactly(Map.entry(TP, Errors.INVALID_PRODUCER_EPOCH));

        CompletableFuture<Map<TopicPartition, Errors>> bumped = manager.verify("a", 1, (short) 6, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        assertThat(done(retry)).containsExactly(Map.entry(TP, Errors.INVALID_PRODUCER_EPOCH));

        sender.last().response().complete(answer(sender.last().data(), Map.of()));
        assertThat(done(inFlight)).isEmpty();
        assertThat(sender.last().data().transactions().find("a").producerEpoch()).isEqualTo((short) 6);
        sender.last().response().complete(answer(sender.last().data(), Map.of()));
        assertThat(done(bumped)).isEmpty();
    }

    @Test
    void noCoordinatorLostConnectionsAndOldCoordinatorsAreHandled() throws Exception {
        image.set(ClusterImage.empty());
        assertThat(done(manager.verify("a", 1, (short) 0, List.of(TP), TransactionOperation.GENERIC_ERROR)))
                .containsExactly(Map.entry(TP, Errors.COORDINATOR_NOT_AVAILABLE));
        assertThat(sender.sent).isEmpty();

        image.set(imageWithCoordinators(3, 2));
        CompletableFuture<Map<TopicPartition, Errors>> dropped = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().completeExceptionally(new DisconnectException("gone"));
        assertThat(done(dropped)).containsExactly(Map.entry(TP, Errors.NETWORK_EXCEPTION));

        CompletableFuture<Map<TopicPartition, Errors>> unsupported = manager.verify("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().completeExceptionally(new UnsupportedVersionException("no v4"));
        assertThat(done(unsupported)).isEmpty(); // Kafka appends without verification then
    }

    @Test
    void aTransactionsV2ProduceRetriesConcurrentTransactionsThenPassesItOn() throws Exception {
        CompletableFuture<Map<TopicPartition, Errors>> retried = manager.verifyForProduce("a", 1, (short) 0,
                List.of(TP), TransactionOperation.ADD_PARTITION);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.CONCURRENT_TRANSACTIONS))));
        // Kafka's broker retries after add.partitions.to.txn.retry.backoff.ms (20 ms)
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent.size() == 2);
        assertThat(retried).isNotDone();
        sender.last().response().complete(answer(sender.last().data(), Map.of()));
        assertThat(done(retried)).isEmpty();

        AddPartitionsToTxnManager noRetries = new AddPartitionsToTxnManager(sender, image::get, Runnable::run, true,
                20, 0);
        CompletableFuture<Map<TopicPartition, Errors>> given = noRetries.verifyForProduce("a", 1, (short) 0,
                List.of(TP), TransactionOperation.ADD_PARTITION);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.CONCURRENT_TRANSACTIONS))));
        assertThat(done(given)).containsExactly(Map.entry(TP, Errors.CONCURRENT_TRANSACTIONS));

        // verify-only operations are never retried
        CompletableFuture<Map<TopicPartition, Errors>> v1 = manager.verifyForProduce("a", 1, (short) 0, List.of(TP),
                TransactionOperation.GENERIC_ERROR);
        sender.last().response().complete(answer(sender.last().data(), Map.of("a", Map.of(TP,
                Errors.CONCURRENT_TRANSACTIONS))));
        assertThat(done(v1)).containsExactly(Map.entry(TP, Errors.CONCURRENT_TRANSACTIONS));
    }

    @Test
    void turningVerificationOffSkipsVerifyOnlyButNotTransactionsV2Adds() {
        AddPartitionsToTxnManager off = new AddPartitionsToTxnManager(sender, image::get, Runnable::run, false, 20,
                100);
        assertThat(off.skips(TransactionOperation.DEFAULT_ERROR)).isTrue();
        assertThat(off.skips(TransactionOperation.GENERIC_ERROR)).isTrue();
        assertThat(off.skips(TransactionOperation.ADD_PARTITION)).isFalse();
        assertThat(manager.skips(TransactionOperation.GENERIC_ERROR)).isFalse();
    }

    @Test
    void theCoordinatorIsTheLeaderOfTheTransactionalIdsPartition() {
        List<PartitionImage> ps = List.of(new PartitionImage(0, List.of(1), List.of(1), 1, 0, 0),
                new PartitionImage(1, List.of(7), List.of(7), 7, 0, 0));
        TopicImage t = new TopicImage(Topic.TRANSACTION_STATE_TOPIC_NAME, UUID.randomUUID(), ps);
        image.set(new ClusterImage("c", 1, 1, Map.of(), Map.of(t.name(), t), Map.of(t.topicId(), t), Map.of(), 0, 1));
        String id = "my-txn";
        int expected = Math.abs(id.hashCode()) % 2 == 0 ? 1 : 7;
        assertThat(manager.coordinatorOf(id)).isEqualTo(expected);
    }
}
