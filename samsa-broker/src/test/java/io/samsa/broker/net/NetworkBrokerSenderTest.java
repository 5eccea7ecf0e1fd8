package io.samsa.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.ApiRegistry;
import io.samsa.protocol.KafkaWireServer;
import io.samsa.protocol.RequestContext;
import io.samsa.protocol.ServerOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link NetworkBrokerSender} against a real Kafka-wire server on the inter-broker listener of the image. */
class NetworkBrokerSenderTest {
    private KafkaWireServer server;
    private final AtomicReference<ClusterImage> image = new AtomicReference<>();
    private NetworkBrokerSender sender;

    /** Serves DescribeTransactions only: echoes each id with TRANSACTIONAL_ID_NOT_FOUND. */
    private static final class Echo implements ApiHandler<DescribeTransactionsRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_TRANSACTIONS;
        }

        @Override
        public CompletableFuture<DescribeTransactionsResponseData> handle(RequestContext context,
                                                                          DescribeTransactionsRequestData request) {
            return CompletableFuture.completedFuture(new DescribeTransactionsResponseData().setTransactionStates(
                    request.transactionalIds().stream().map(id -> new DescribeTransactionsResponseData
                            .TransactionState().setTransactionalId(id)
                            .setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code())).toList()));
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "REPLICATION", 1 << 20, 4, 1),
                new ApiRegistry().register(new Echo()));
        BrokerRegistration broker = new BrokerRegistration(7, 1, UUID.randomUUID(), List.of(
                new BrokerRegistration.Endpoint("PLAINTEXT", "127.0.0.1", 1),
                new BrokerRegistration.Endpoint("REPLICATION", "127.0.0.1", server.port())), null, false, false);
        image.set(new ClusterImage("c", 1, 1, Map.of(7, broker), Map.of(), Map.of(), Map.of(), 0, 0));
        sender = new NetworkBrokerSender(1, image::get, "REPLICATION", 5_000);
    }

    @AfterEach
    void stop() {
        sender.close();
        server.close();
    }

    @Test
    void sendsOverTheInterBrokerListenerOfTheImage() throws Exception {
        DescribeTransactionsResponse response = sender.<DescribeTransactionsResponse>send(7,
                new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                        .setTransactionalIds(List.of("t1", "t2")))).get(10, TimeUnit.SECONDS);
        assertThat(response.data().transactionStates()).extracting(s -> s.transactionalId())
                .containsExactly("t1", "t2");
    }

    @Test
    void anApiTheBrokerDoesNotServeFailsWithUnsupportedVersion() {
        CompletableFuture<?> f = sender.send(7, new ListTransactionsRequest.Builder(new ListTransactionsRequestData()));
        assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void aBrokerWithoutEndpointFailsWithBrokerNotAvailable() {
        CompletableFuture<?> f = sender.send(8, new DescribeTransactionsRequest.Builder(
                new DescribeTransactionsRequestData()));
        assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BrokerNotAvailableException.class);
    }
}
