package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** Seeded random and mutated frames never crash the server; it keeps serving afterwards. */
class MalformedFrameFuzzTest {

    private static final long SEED = 20261121L;

    @Test
    void serverSurvivesGarbage() throws Exception {
        ApiRegistry registry = new ApiRegistry()
                .register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA,
                        (ctx, r) -> CompletableFuture.completedFuture(new MetadataResponseData())))
                .register(TestHandlers.<ProduceRequestData>of(ApiKeys.PRODUCE,
                        (ctx, r) -> CompletableFuture.completedFuture(new ProduceResponseData())));
        Random random = new Random(SEED);
        List<byte[]> seeds = List.of(
                WireClient.frame(WireClient.header(ApiKeys.METADATA, (short) 12, 1), new MetadataRequestData(), (short) 12),
                WireClient.frame(WireClient.header(ApiKeys.PRODUCE, (short) 9, 2), produce(), (short) 9),
                WireClient.frame(WireClient.header(ApiKeys.API_VERSIONS, (short) 3, 3), new ApiVersionsRequestData()
                        .setClientSoftwareName("fuzz").setClientSoftwareVersion("1"), (short) 3));
        try (KafkaWireServer server = KafkaWireServer.start(
                ServerOptions.defaults("127.0.0.1", 0).withMaxRequestBytes(64 * 1024), registry)) {
            for (int i = 0; i < 300; i++) {
                byte[] frame = i % 3 == 0 ? randomFrame(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
                try (WireClient client = new WireClient(server.port())) {
                    client.sendRaw(frame);
                } catch (IOException closedEarly) {
                    // the server may close before we finish writing
                }
            }
            try (WireClient client = new WireClient(server.port())) {
                RequestHeader header = client.send(ApiKeys.API_VERSIONS, (short) 0, 9, new ApiVersionsRequestData());
                assertThat(((ApiVersionsResponse) client.receive(header)).data().errorCode()).isZero();
            }
        }
    }

    private static ProduceRequestData produce() {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))));
        data.topicData().add(topic);
        return data;
    }

    private static byte[] randomFrame(Random random) {
        byte[] body = new byte[random.nextInt(200)];
        random.nextBytes(body);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /** Flips a few bytes after the size prefix, or truncates the body (keeping the prefix consistent). */
    private static byte[] mutate(byte[] frame, Random random) {
        byte[] copy = frame.clone();
        if (random.nextBoolean()) {
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                copy[4 + random.nextInt(copy.length - 4)] = (byte) random.nextInt(256);
            }
            return copy;
        }
        int size = random.nextInt(copy.length - 4);
        ByteBuffer out = ByteBuffer.allocate(4 + size).putInt(size).put(copy, 4, size);
        return out.array();
    }
}
