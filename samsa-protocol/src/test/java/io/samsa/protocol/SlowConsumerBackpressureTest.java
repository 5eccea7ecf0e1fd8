package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

/** A client that does not read its responses stops the server from reading its requests. */
class SlowConsumerBackpressureTest {

    private static final int RESPONSE_BYTES = 8 * 1024 * 1024;
    private static final int REQUESTS = 20;

    @Test
    void unwritableConnectionStopsReading() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(RESPONSE_BYTES);
        AtomicInteger handled = new AtomicInteger();
        ApiRegistry registry = new ApiRegistry().register(TestHandlers.<FetchRequestData>of(ApiKeys.FETCH, (ctx, r) -> {
            handled.incrementAndGet();
            FetchResponseData data = new FetchResponseData();
            FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                    .setTopic("t");
            topic.partitions().add(new FetchResponseData.PartitionData()
                    .setRecords(MemoryRecords.readableRecords(payload.duplicate())));
            data.responses().add(topic);
            return CompletableFuture.completedFuture(data);
        }));
        try (KafkaWireServer server = KafkaWireServer.start(ServerOptions.defaults("127.0.0.1", 0), registry);
             WireClient client = new WireClient(server.port())) {
            // Given a client sending fetches one at a time without reading the 8 MiB answers
            int sent = 0;
            for (int i = 0; i < REQUESTS; i++) {
                int before = handled.get();
                client.send(ApiKeys.FETCH, (short) 12, i, new FetchRequestData());
                sent++;
                try {
                    await().atMost(Duration.ofMillis(200)).until(() -> handled.get() > before);
                } catch (org.awaitility.core.ConditionTimeoutException stalled) {
                    break;
                }
            }
            // Then the server stopped reading long before all were handled
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> handled.get() < REQUESTS);
            assertThat(handled.get()).isLessThan(5);

            // When the client reads, everything is eventually served in order
            assertThat(sent).isLessThan(REQUESTS);
            for (int i = 0; i < sent; i++) {
                ByteBuffer frame = client.receiveFrame();
                assertThat(frame.getInt(0)).isEqualTo(i); // correlation id
                assertThat(frame.remaining()).isGreaterThan(RESPONSE_BYTES);
            }
            assertThat(handled.get()).isEqualTo(sent);
        }
    }
}
