package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KIP-219 at the wire: the throttle time goes into the response and the connection stops reading for that long. */
class ThrottleMuteTest {

    private static final int THROTTLE_MS = 600;
    private final ConcurrentLinkedQueue<Integer> requestBytesSeen = new ConcurrentLinkedQueue<>();
    private KafkaWireServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(int handlerThrottleMs) throws InterruptedException {
        ApiRegistry registry = new ApiRegistry()
                .register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA, (ctx, req) ->
                        CompletableFuture.completedFuture(new MetadataResponseData().setClusterId("c"))))
                .register(TestHandlers.<DescribeClusterRequestData>of(ApiKeys.DESCRIBE_CLUSTER, (ctx, req) ->
                        CompletableFuture.completedFuture(new DescribeClusterResponseData()
                                .setThrottleTimeMs(handlerThrottleMs).setClusterId("c"))))
                .throttle((context, request, requestBytes, response, handlerNanos) -> {
                    requestBytesSeen.add(requestBytes);
                    return request.apiKey() == ApiKeys.METADATA ? THROTTLE_MS : 0;
                });
        server = KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "PLAINTEXT", 1 << 20, 4, 1), registry);
    }

    @Test
    void throttledResponseCarriesTheTimeAndTheNextRequestWaits() throws Exception {
        // Given a quota hook that throttles every Metadata request by 600 ms
        start(0);
        try (WireClient client = new WireClient(server.port())) {
            // When a client sends one request and, as soon as it is answered, a second one
            RequestHeader first = client.send(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
            MetadataResponse firstResponse = client.receive(first);
            long answered = System.nanoTime();
            RequestHeader second = client.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, 2,
                    new DescribeClusterRequestData());
            DescribeClusterResponse secondResponse = client.receive(second);
            long waitedMs = Duration.ofNanos(System.nanoTime() - answered).toMillis();

            // Then the first response says 600 ms, and the second request was not read before the mute ended
            assertThat(firstResponse.throttleTimeMs()).isEqualTo(THROTTLE_MS);
            assertThat(secondResponse.throttleTimeMs()).isZero();
            assertThat(waitedMs).isGreaterThanOrEqualTo(THROTTLE_MS - 50);
            // and the hook saw the request size on the wire (header + body, no size prefix)
            assertThat(requestBytesSeen).allMatch(bytes -> bytes > 10);
        }
    }

    @Test
    void handlerThrottleTimeAlsoMutesTheConnection() throws Exception {
        // Given a handler that answers with throttle_time_ms itself (as CreateTopics' mutation quota does)
        start(THROTTLE_MS);
        try (WireClient client = new WireClient(server.port())) {
            RequestHeader first = client.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, 1, new DescribeClusterRequestData());
            DescribeClusterResponse response = client.receive(first);
            long answered = System.nanoTime();
            // When the client sends the next request right away
            client.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, 2, new DescribeClusterRequestData());
            // Then it is answered only after the handler's throttle time
            assertThat(response.throttleTimeMs()).isEqualTo(THROTTLE_MS);
            client.receiveFrame();
            assertThat(Duration.ofNanos(System.nanoTime() - answered).toMillis())
                    .isGreaterThanOrEqualTo(THROTTLE_MS - 50);
        }
    }
}
