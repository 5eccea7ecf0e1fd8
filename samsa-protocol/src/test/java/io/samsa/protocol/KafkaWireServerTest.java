package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaWireServerTest {

    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final short METADATA_LATEST = 12;

    private final TestHandlers.Parked<DescribeClusterRequestData> describeCluster =
            new TestHandlers.Parked<>(ApiKeys.DESCRIBE_CLUSTER);
    private final AtomicReference<RequestContext> lastMetadataContext = new AtomicReference<>();
    private final AtomicReference<String> lastMetadataThread = new AtomicReference<>();
    private KafkaWireServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = start(4);
    }

    @AfterEach
    void stop() {
        // Frames are released when handlers complete: complete what the tests left parked.
        describeCluster.calls.forEach(call -> call.future().complete(null));
        server.close();
    }

    private KafkaWireServer start(int maxInFlight) throws InterruptedException {
        ApiRegistry registry = new ApiRegistry()
                .register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA, ApiKeys.METADATA.oldestVersion(),
                        METADATA_LATEST, (ctx, req) -> {
                            lastMetadataContext.set(ctx);
                            lastMetadataThread.set(Thread.currentThread().getName());
                            return CompletableFuture.completedFuture(
                                    new MetadataResponseData().setClusterId("samsa-test").setControllerId(1));
                        }))
                .register(describeCluster)
                .register(TestHandlers.<CreateTopicsRequestData>of(ApiKeys.CREATE_TOPICS, (ctx, req) -> {
                    String topic = req.topics().iterator().next().name();
                    return switch (topic) {
                        case "async-fail" -> CompletableFuture.failedFuture(new TopicExistsException(topic));
                        case "sync-throw" -> throw new PolicyViolationException("no " + topic);
                        case "boom" -> CompletableFuture.supplyAsync(() -> {
                            throw new IllegalStateException("bug");
                        });
                        default -> CompletableFuture.completedFuture(new CreateTopicsResponseData());
                    };
                }))
                .register(TestHandlers.<ProduceRequestData>of(ApiKeys.PRODUCE, (ctx, req) ->
                        req.topicData().iterator().next().name().equals("fail")
                                ? CompletableFuture.failedFuture(new IllegalStateException("append failed"))
                                : CompletableFuture.completedFuture(new ProduceResponseData())))
                .register(TestHandlers.<DeleteTopicsRequestData>of(ApiKeys.DELETE_TOPICS,
                        (ctx, req) -> CompletableFuture.completedFuture(null)));
        return KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "PLAINTEXT", MAX_REQUEST_BYTES, maxInFlight, 2),
                registry);
    }

    private WireClient connect() throws IOException {
        return new WireClient(server.port());
    }

    private static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData().setClientSoftwareName("samsa-test").setClientSoftwareVersion("1.0");
    }

    private static MetadataRequestData metadataRequest() {
        return new MetadataRequestData().setTopics(null);
    }

    @Test
    void aServerBoundButNotAcceptingAnswersOnlyOnceItStartsAccepting() throws Exception {
        // Given a listener bound (its port known, as a broker registers it) but not accepting yet
        KafkaWireServer starting = KafkaWireServer.bind(new ServerOptions("127.0.0.1", 0, "PLAINTEXT",
                MAX_REQUEST_BYTES, 4, 2), new ApiRegistry());
        try (WireClient client = new WireClient(starting.port())) {
            // When a client connects (the kernel's backlog takes it) and asks
            RequestHeader header = client.send(ApiKeys.API_VERSIONS, (short) 3, 7, apiVersionsRequest());

            // Then nothing answers until the server starts accepting, and then the waiting request is
            assertThat(client.silentFor(Duration.ofMillis(300))).isTrue();
            starting.startAccepting();
            assertThat(((ApiVersionsResponse) client.receive(header)).data().errorCode()).isZero();
        } finally {
            starting.close();
        }
    }

    @Test
    void apiVersionsListsRegisteredApisAtEveryVersion() throws IOException {
        try (WireClient client = connect()) {
            for (short v = 0; v <= ApiKeys.API_VERSIONS.latestVersion(); v++) {
                RequestHeader header = client.send(ApiKeys.API_VERSIONS, v, 100 + v, apiVersionsRequest());
                ApiVersionsResponse response = client.receive(header);

                ApiVersionsResponseData data = response.data();
                assertThat(data.errorCode()).as("v%d", v).isEqualTo(Errors.NONE.code());
                assertThat(data.apiKeys().stream().map(k -> ApiKeys.forId(k.apiKey())).collect(Collectors.toSet()))
                        .isEqualTo(Set.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.DESCRIBE_CLUSTER,
                                ApiKeys.CREATE_TOPICS, ApiKeys.PRODUCE, ApiKeys.DELETE_TOPICS,
                                ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE));
                assertRange(data.apiKeys().find(ApiKeys.PRODUCE.id), 0, ApiKeys.PRODUCE.latestVersion());
                assertRange(data.apiKeys().find(ApiKeys.METADATA.id), ApiKeys.METADATA.oldestVersion(), METADATA_LATEST);
                assertRange(data.apiKeys().find(ApiKeys.API_VERSIONS.id), 0, ApiKeys.API_VERSIONS.latestVersion());
                if (v >= 3) {
                    assertThat(data.finalizedFeaturesEpoch()).isEqualTo(-1L);
                    assertThat(data.supportedFeatures()).isEmpty();
                }
            }
        }
    }

    private static void assertRange(ApiVersion version, int min, int max) {
        assertThat(version).isNotNull();
        assertThat(version.minVersion()).isEqualTo((short) min);
        assertThat(version.maxVersion()).isEqualTo((short) max);
    }

    @Test
    void tooNewApiVersionsIsAnsweredUnsupportedVersionInV0() throws IOException {
        try (WireClient client = connect()) {
            short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 1);
            RequestHeader header = WireClient.header(ApiKeys.API_VERSIONS, tooNew, 7);
            client.sendRaw(WireClient.frame(header, apiVersionsRequest(), ApiKeys.API_VERSIONS.latestVersion()));

            ByteBuffer frame = client.receiveFrame();
            assertThat(ResponseHeader.parse(frame, (short) 0).correlationId()).isEqualTo(7);
            ApiVersionsResponseData data = ApiVersionsResponse.parse(new ByteBufferAccessor(frame), (short) 0).data();
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys()).hasSize(1);
            assertRange(data.apiKeys().find(ApiKeys.API_VERSIONS.id), 0, ApiKeys.API_VERSIONS.latestVersion());

            // The client retries at a version we know, on the same connection.
            RequestHeader retry = client.send(ApiKeys.API_VERSIONS, (short) 3, 8, apiVersionsRequest());
            assertThat(((ApiVersionsResponse) client.receive(retry)).data().errorCode()).isZero();
        }
    }

    @Test
    void pipelinedResponsesComeInRequestOrderWhenFuturesCompleteOutOfOrder() throws Exception {
        try (WireClient client = connect()) {
            short v = ApiKeys.DESCRIBE_CLUSTER.latestVersion();
            List<RequestHeader> headers = List.of(
                    client.send(ApiKeys.DESCRIBE_CLUSTER, v, 1, new DescribeClusterRequestData()),
                    client.send(ApiKeys.DESCRIBE_CLUSTER, v, 2, new DescribeClusterRequestData()),
                    client.send(ApiKeys.DESCRIBE_CLUSTER, v, 3, new DescribeClusterRequestData()),
                    client.send(ApiKeys.METADATA, METADATA_LATEST, 4, metadataRequest()));
            await().atMost(Duration.ofSeconds(5)).until(() -> describeCluster.calls.size() == 3);
            List<TestHandlers.Call<DescribeClusterRequestData>> calls = List.copyOf(describeCluster.calls);

            // When the later requests complete first, on another thread
            Thread other = Thread.ofPlatform().start(() -> {
                calls.get(2).future().complete(new DescribeClusterResponseData().setClusterId("c3"));
                calls.get(1).future().complete(new DescribeClusterResponseData().setClusterId("c2"));
            });
            other.join();
            // Then nothing is sent while the first is pending (Metadata 4 completed at once, too)
            assertThat(client.silentFor(Duration.ofMillis(300))).isTrue();

            calls.get(0).future().complete(new DescribeClusterResponseData().setClusterId("c1"));
            assertThat(((DescribeClusterResponse) client.receive(headers.get(0))).data().clusterId()).isEqualTo("c1");
            assertThat(((DescribeClusterResponse) client.receive(headers.get(1))).data().clusterId()).isEqualTo("c2");
            assertThat(((DescribeClusterResponse) client.receive(headers.get(2))).data().clusterId()).isEqualTo("c3");
            assertThat(((MetadataResponse) client.receive(headers.get(3))).data().clusterId()).isEqualTo("samsa-test");
        }
    }

    @Test
    void nullResponsesAndAcksZeroProduceSendNothingButKeepTheOrder() throws IOException {
        try (WireClient client = connect()) {
            client.send(ApiKeys.DELETE_TOPICS, ApiKeys.DELETE_TOPICS.latestVersion(), 1, new DeleteTopicsRequestData());
            client.send(ApiKeys.PRODUCE, (short) 9, 2, produce("t", (short) 0));
            RequestHeader metadata = client.send(ApiKeys.METADATA, METADATA_LATEST, 3, metadataRequest());

            MetadataResponse response = client.receive(metadata); // throws on a correlation id mismatch
            assertThat(response.data().clusterId()).isEqualTo("samsa-test");
        }
    }

    @Test
    void failedAcksZeroProduceClosesTheConnection() throws IOException {
        try (WireClient client = connect()) {
            client.send(ApiKeys.PRODUCE, (short) 9, 1, produce("fail", (short) 0));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void failedAcksOneProduceGetsAnErrorResponse() throws IOException {
        try (WireClient client = connect()) {
            RequestHeader header = client.send(ApiKeys.PRODUCE, (short) 9, 1, produce("fail", (short) 1));
            var response = (org.apache.kafka.common.requests.ProduceResponse) client.receive(header);
            assertThat(response.errorCounts()).containsKey(Errors.UNKNOWN_SERVER_ERROR);
        }
    }

    private static ProduceRequestData produce(String topic, short acks) {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.EMPTY));
        data.topicData().add(t);
        return data;
    }

    @Test
    void failingHandlersAreAnsweredWithTheApisErrorResponse() throws IOException {
        try (WireClient client = connect()) {
            assertThat(createTopicsError(client, 1, "async-fail")).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
            assertThat(createTopicsError(client, 2, "sync-throw")).isEqualTo(Errors.POLICY_VIOLATION);
            assertThat(createTopicsError(client, 3, "boom")).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
            assertThat(createTopicsError(client, 4, "fine")).isNull();
            // The connection is still usable
            RequestHeader header = client.send(ApiKeys.METADATA, METADATA_LATEST, 5, metadataRequest());
            assertThat(((MetadataResponse) client.receive(header)).data().clusterId()).isEqualTo("samsa-test");
        }
    }

    private static Errors createTopicsError(WireClient client, int correlationId, String topic) throws IOException {
        CreateTopicsRequestData body = new CreateTopicsRequestData().setTimeoutMs(1000);
        body.topics().add(new CreatableTopic().setName(topic).setNumPartitions(1).setReplicationFactor((short) 1));
        RequestHeader header = client.send(ApiKeys.CREATE_TOPICS, ApiKeys.CREATE_TOPICS.latestVersion(),
                correlationId, body);
        CreateTopicsResponse response = client.receive(header);
        var result = response.data().topics().find(topic);
        return result == null ? null : Errors.forCode(result.errorCode());
    }

    @Test
    void handlersRunOnTheEventLoopWithTheConnectionsContext() throws IOException {
        try (WireClient client = connect()) {
            RequestHeader header = client.send(ApiKeys.METADATA, METADATA_LATEST, 42, metadataRequest());
            client.receive(header);
        }
        RequestContext ctx = lastMetadataContext.get();
        assertThat(lastMetadataThread.get()).startsWith("samsa-network");
        assertThat(ctx.apiKey()).isEqualTo(ApiKeys.METADATA);
        assertThat(ctx.apiVersion()).isEqualTo(METADATA_LATEST);
        assertThat(ctx.clientId()).isEqualTo("wire-test");
        assertThat(ctx.header().correlationId()).isEqualTo(42);
        assertThat(ctx.listenerName()).isEqualTo("PLAINTEXT");
        assertThat(ctx.clientAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(ctx.connectionId()).matches("127\\.0\\.0\\.1:" + server.port() + "-127\\.0\\.0\\.1:\\d+-\\d+");
    }

    @Test
    void readingPausesAtMaxInFlightAndResumesWhenAResponseIsSent() throws Exception {
        server.close();
        server = start(2);
        try (WireClient client = connect()) {
            short v = ApiKeys.DESCRIBE_CLUSTER.latestVersion();
            RequestHeader first = client.send(ApiKeys.DESCRIBE_CLUSTER, v, 1, new DescribeClusterRequestData());
            await().atMost(Duration.ofSeconds(5)).until(() -> describeCluster.calls.size() == 1);
            client.send(ApiKeys.DESCRIBE_CLUSTER, v, 2, new DescribeClusterRequestData());
            await().atMost(Duration.ofSeconds(5)).until(() -> describeCluster.calls.size() == 2);

            // When a third request arrives with two unanswered, it is not read
            client.send(ApiKeys.DESCRIBE_CLUSTER, v, 3, new DescribeClusterRequestData());
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> describeCluster.calls.size() == 2);

            // Then answering the first resumes reading
            describeCluster.calls.take().future().complete(new DescribeClusterResponseData());
            assertThat(((DescribeClusterResponse) client.receive(first)).data().errorCode()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> describeCluster.calls.size() == 2);
        }
    }

    @Test
    void closeStopsAcceptingAndClosesConnections() throws Exception {
        try (WireClient client = connect()) {
            RequestHeader header = client.send(ApiKeys.METADATA, METADATA_LATEST, 1, metadataRequest());
            client.receive(header);
            int port = server.port();
            server.close();
            assertThat(client.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    throw new AssertionError("still accepting");
                } catch (ConnectException expected) {
                    // closed
                }
            });
        }
        server.close(); // idempotent
    }

    @Test
    void connectionsAcceptedWhileClosingAreClosedToo() throws Exception {
        for (int i = 0; i < 30; i++) {
            KafkaWireServer racing = KafkaWireServer.start(ServerOptions.defaults("127.0.0.1", 0), new ApiRegistry());
            try (WireClient client = new WireClient(racing.port())) {
                racing.close(); // the connection may not even be registered with an event loop yet
                assertThat(client.closedByServer()).as("attempt %d", i).isTrue();
            }
        }
    }

    @Test
    void startFailsWhenThePortIsTaken() {
        ServerOptions taken = new ServerOptions("127.0.0.1", server.port(), "PLAINTEXT", MAX_REQUEST_BYTES, 4, 1);
        assertThatThrownBy(() -> KafkaWireServer.start(taken, new ApiRegistry()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(String.valueOf(server.port()));
    }
}
