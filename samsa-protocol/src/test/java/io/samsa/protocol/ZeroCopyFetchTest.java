package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroCopyFetchTest {

    private static final short FETCH_VERSION = 12;
    /** Pads each value so a batch of 10 is about 7 KiB: the log (3 batches) is above the copy threshold, 2 are below. */
    private static final String PADDING = "x".repeat(680);

    @TempDir
    Path dir;

    private FileRecords log;
    private final AtomicReference<BaseRecords> served = new AtomicReference<>();
    private KafkaWireServer server;

    @BeforeEach
    void setUp() throws Exception {
        log = FileRecords.open(new File(dir.toFile(), "00000000000000000000.log"));
        for (int batch = 0; batch < 3; batch++) {
            SimpleRecord[] records = new SimpleRecord[10];
            for (int i = 0; i < records.length; i++) {
                records[i] = new SimpleRecord(("key-" + i).getBytes(StandardCharsets.UTF_8),
                        ("value-" + batch + "-" + i + PADDING).getBytes(StandardCharsets.UTF_8));
            }
            log.append(MemoryRecords.withRecords(batch * 10L, Compression.NONE, records));
        }
        log.flush();
        ApiRegistry registry = new ApiRegistry().register(TestHandlers.<FetchRequestData>of(ApiKeys.FETCH,
                (ctx, req) -> CompletableFuture.completedFuture(fetchResponse(served.get()))));
        server = KafkaWireServer.start(ServerOptions.defaults("127.0.0.1", 0), registry);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        log.close();
    }

    private static FetchResponseData fetchResponse(BaseRecords records) {
        FetchResponseData data = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(30)
                .setLastStableOffset(30).setLogStartOffset(0).setRecords(records));
        data.responses().add(topic);
        return data;
    }

    @Test
    void fileRecordsAreSentFromTheFileAndTheLogStaysOpen() throws IOException {
        assertThat(log.sizeInBytes()).isGreaterThan(NettyTransferableChannel.COPY_BELOW_BYTES);
        try (WireClient client = new WireClient(server.port())) {
            // Given the whole log (sent with sendfile), then a slice from the second batch (copied), then the log again
            int secondBatch = log.batches().iterator().next().sizeInBytes();
            assertThat(log.sizeInBytes() - secondBatch).isLessThan(NettyTransferableChannel.COPY_BELOW_BYTES);
            for (FileRecords records : List.of(log, log.slice(secondBatch, log.sizeInBytes() - secondBatch), log)) {
                served.set(records);
                RequestHeader header = client.send(ApiKeys.FETCH, FETCH_VERSION, 1, new FetchRequestData());

                FetchResponse response = client.receive(header);

                MemoryRecords received = (MemoryRecords) response.data().responses().get(0).partitions().get(0)
                        .records();
                assertThat(bytes(received.buffer())).isEqualTo(fileBytes(records));
                List<String> values = new ArrayList<>();
                for (Record r : received.records()) {
                    values.add(StandardCharsets.UTF_8.decode(r.value()).toString().replace(PADDING, ""));
                }
                assertThat(values).hasSize(records == log ? 30 : 20).contains("value-2-9");
                assertThat(log.channel().isOpen()).isTrue();
            }
        }
    }

    @Test
    void encoderTurnsFileRecordsIntoAFileRegionThatLeavesTheChannelOpen() throws IOException {
        Send send = SendBuilder.buildResponseSend(new ResponseHeader(5, ApiKeys.FETCH.responseHeaderVersion(
                FETCH_VERSION)), fetchResponse(log), FETCH_VERSION);
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder());

        channel.writeOutbound(send);

        List<Object> parts = new ArrayList<>();
        for (Object part; (part = channel.readOutbound()) != null; ) {
            parts.add(part);
        }
        List<FileRegion> regions = parts.stream().filter(FileRegion.class::isInstance).map(FileRegion.class::cast)
                .toList();
        assertThat(regions).hasSize(1);
        assertThat(regions.get(0).count()).isEqualTo(log.sizeInBytes());
        long heapBytes = parts.stream().filter(ByteBuf.class::isInstance)
                .mapToLong(p -> ((ByteBuf) p).readableBytes()).sum();
        assertThat(heapBytes + log.sizeInBytes()).isEqualTo(send.size());
        assertThat(heapBytes).isLessThan(200);
        parts.forEach(ReferenceCountUtil::release);
        assertThat(log.channel().isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void encoderCopiesASmallSectionIntoOnePooledBufferWithTheSameBytes() throws IOException {
        int secondBatch = log.batches().iterator().next().sizeInBytes();
        FileRecords small = log.slice(secondBatch, log.sizeInBytes() - secondBatch);
        Send send = SendBuilder.buildResponseSend(new ResponseHeader(5, ApiKeys.FETCH.responseHeaderVersion(
                FETCH_VERSION)), fetchResponse(small), FETCH_VERSION);
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder());

        channel.writeOutbound(send);

        List<ByteBuf> parts = new ArrayList<>();
        for (Object part; (part = channel.readOutbound()) != null; ) {
            assertThat(part).isInstanceOf(ByteBuf.class);
            parts.add((ByteBuf) part);
        }
        ByteBuf copy = parts.stream().filter(p -> p.readableBytes() == small.sizeInBytes()).findFirst().orElseThrow();
        assertThat(copy.isDirect()).isTrue();
        assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(fileBytes(small));
        assertThat(parts.stream().mapToLong(ByteBuf::readableBytes).sum()).isEqualTo(send.size());
        parts.forEach(ReferenceCountUtil::release);
        assertThat(log.channel().isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static byte[] fileBytes(FileRecords records) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.readInto(buffer, 0);
        return bytes(buffer);
    }
}
