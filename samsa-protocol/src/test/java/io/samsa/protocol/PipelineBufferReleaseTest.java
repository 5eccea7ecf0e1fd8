package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request frame is released exactly once on every path; Produce records stay readable until completion. */
class PipelineBufferReleaseTest {

    private final AtomicReference<CompletableFuture<ApiMessage>> pending = new AtomicReference<>();
    private final AtomicReference<ProduceRequestData> lastProduce = new AtomicReference<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        ApiRegistry registry = new ApiRegistry().register(TestHandlers.<ProduceRequestData>of(ApiKeys.PRODUCE,
                (ctx, req) -> {
                    lastProduce.set(req);
                    CompletableFuture<ApiMessage> future = new CompletableFuture<>();
                    pending.set(future);
                    return future;
                }));
        ServerOptions options = ServerOptions.defaults("", 0);
        channel = new EmbeddedChannel(new KafkaWireInitializer(options, registry, null, new AtomicLong(), new java.util.concurrent.atomic.AtomicBoolean()));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf produceFrame(int correlationId) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("hello".getBytes()))));
        data.topicData().add(topic);
        return Unpooled.wrappedBuffer(WireClient.frame(WireClient.header(ApiKeys.PRODUCE, (short) 9, correlationId),
                data, (short) 9));
    }

    @Test
    void frameIsHeldUntilTheHandlerCompletesThenReleased() {
        ByteBuf frame = produceFrame(1);

        channel.writeInbound(frame);

        assertThat(frame.refCnt()).isEqualTo(1);
        MemoryRecords records = (MemoryRecords) lastProduce.get().topicData().iterator().next().partitionData()
                .get(0).records();
        assertThat(records.records().iterator().next().value().get(0)).isEqualTo((byte) 'h');

        pending.get().complete(new ProduceResponseData());
        channel.runPendingTasks();

        assertThat(frame.refCnt()).isZero();
        assertThat(releaseOutbound()).isPositive();
    }

    @Test
    void frameIsReleasedWhenTheHandlerFails() {
        ByteBuf frame = produceFrame(1);
        channel.writeInbound(frame);

        pending.get().completeExceptionally(new NotLeaderOrFollowerException("moved"));
        channel.runPendingTasks();

        assertThat(frame.refCnt()).isZero();
        assertThat(releaseOutbound()).isPositive();
    }

    @Test
    void rejectedFramesAreReleasedAndTheChannelClosed() {
        ByteBuf noHandler = Unpooled.wrappedBuffer(WireClient.frame(WireClient.header(ApiKeys.METADATA, (short) 12, 1),
                new MetadataRequestData(), (short) 12));

        channel.writeInbound(noHandler);

        assertThat(noHandler.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void truncatedFramesAreReleasedAndTheChannelClosed() {
        ByteBuf full = produceFrame(1);
        ByteBuf truncated = Unpooled.buffer();
        truncated.writeInt(full.readableBytes() - 4 - 10).writeBytes(full, 4, full.readableBytes() - 4 - 10);
        full.release();

        channel.writeInbound(truncated);

        assertThat(truncated.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void framesAfterARejectionAreDropped() {
        ByteBuf noHandler = Unpooled.wrappedBuffer(WireClient.frame(WireClient.header(ApiKeys.METADATA, (short) 12, 1),
                new MetadataRequestData(), (short) 12));
        ByteBuf both = Unpooled.wrappedBuffer(noHandler, produceFrame(2));

        channel.writeInbound(both);

        assertThat(both.refCnt()).isZero();
        assertThat(lastProduce.get()).isNull();
    }

    private int releaseOutbound() {
        int n = 0;
        for (Object msg; (msg = channel.readOutbound()) != null; n++) {
            ReferenceCountUtil.release(msg);
        }
        return n;
    }
}
