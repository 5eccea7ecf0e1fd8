package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames Kafka would not answer close the connection (SocketServer behaviour); the server keeps serving others. */
class RequestRejectionTest {

    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final short METADATA_LATEST = 12;

    private KafkaWireServer server;

    @BeforeEach
    void start() throws InterruptedException {
        ApiRegistry registry = new ApiRegistry()
                .register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA, ApiKeys.METADATA.oldestVersion(),
                        METADATA_LATEST, (ctx, req) -> CompletableFuture.completedFuture(new MetadataResponseData())))
                .register(TestHandlers.<ProduceRequestData>of(ApiKeys.PRODUCE,
                        (ctx, req) -> CompletableFuture.completedFuture(new ProduceResponseData())));
        server = KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "PLAINTEXT", MAX_REQUEST_BYTES, 4, 1),
                registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WireClient connect() throws IOException {
        return new WireClient(server.port());
    }

    private static MetadataRequestData metadataRequest() {
        return new MetadataRequestData().setTopics(null);
    }

    private static ProduceRequestData produce(String topic, short acks) {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.EMPTY));
        data.topicData().add(t);
        return data;
    }

    @Test
    void sizePrefixAboveTheMaximumOrNegativeClosesTheConnection() throws IOException {
        for (int size : new int[] {MAX_REQUEST_BYTES + 1, Integer.MAX_VALUE, -1}) {
            try (WireClient client = connect()) {
                client.sendRaw(ByteBuffer.allocate(4).putInt(size).array());
                assertThat(client.closedByServer()).as("size %d", size).isTrue();
            }
        }
        assertServerStillServes();
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws IOException {
        try (WireClient client = connect()) {
            ByteBuffer frame = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + 1);
            frame.putInt(frame.capacity() - 4).putShort((short) 999).putShort((short) 0).putInt(1)
                    .putShort((short) 1).put((byte) 'x');
            client.sendRaw(frame.array());
            assertThat(client.closedByServer()).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void apiWithoutHandlerClosesTheConnection() throws IOException {
        try (WireClient client = connect()) {
            client.send(ApiKeys.FIND_COORDINATOR, (short) 0, 1, new FindCoordinatorRequestData().setKey("g"));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void versionOutsideTheHandlersRangeClosesTheConnection() throws IOException {
        try (WireClient client = connect()) {
            client.send(ApiKeys.METADATA, (short) (METADATA_LATEST + 1), 1, metadataRequest());
            assertThat(client.closedByServer()).isTrue();
        }
        try (WireClient client = connect()) {
            // Advertised from v0 for librdkafka's sake (KAFKA-18659), but v0-2 cannot be parsed: Kafka closes too.
            RequestHeader header = WireClient.header(ApiKeys.PRODUCE, (short) 2, 1);
            client.sendRaw(WireClient.frame(header, produce("t", (short) 1), (short) 3));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void truncatedBodyClosesTheConnection() throws IOException {
        try (WireClient client = connect()) {
            MetadataRequestData body = new MetadataRequestData();
            body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("some-topic"));
            byte[] full = WireClient.frame(WireClient.header(ApiKeys.METADATA, (short) 4, 1), body, (short) 4);
            ByteBuffer truncated = ByteBuffer.allocate(full.length - 5);
            truncated.putInt(full.length - 5 - 4).put(full, 4, full.length - 5 - 4);
            client.sendRaw(truncated.array());
            assertThat(client.closedByServer()).isTrue();
        }
        assertServerStillServes();
    }

    private void assertServerStillServes() throws IOException {
        try (WireClient client = connect()) {
            RequestHeader header = client.send(ApiKeys.API_VERSIONS, (short) 0, 1, new ApiVersionsRequestData());
            assertThat(((ApiVersionsResponse) client.receive(header)).data().errorCode()).isZero();
        }
    }
}
