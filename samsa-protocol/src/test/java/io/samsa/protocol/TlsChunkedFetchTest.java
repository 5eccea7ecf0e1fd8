package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under TLS a file region cannot pass the SslHandler: the encoder sends file sections as pooled chunks read by the
 * ChunkedWriteHandler. The bytes are exactly those the PLAINTEXT (sendfile) path sends, and the log stays open.
 */
class TlsChunkedFetchTest {
    private static final short FETCH_VERSION = 12;

    @TempDir
    Path dir;
    private FileRecords log;

    @BeforeEach
    void setUp() throws IOException {
        log = FileRecords.open(new File(dir.toFile(), "00000000000000000000.log"));
        Random random = new Random(7);
        for (int batch = 0; batch < 4; batch++) {
            byte[] value = new byte[100_000];
            random.nextBytes(value);
            log.append(MemoryRecords.withRecords(batch, Compression.NONE,
                    new SimpleRecord(("k" + batch).getBytes(StandardCharsets.UTF_8), value)));
        }
        log.flush();
    }

    @AfterEach
    void tearDown() throws IOException {
        log.close();
    }

    private Send send() {
        FetchResponseData data = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(4)
                .setRecords(log));
        data.responses().add(topic);
        return SendBuilder.buildResponseSend(new ResponseHeader(9, ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION)),
                data, FETCH_VERSION);
    }

    @Test
    void fileSectionsGoOutAsChunksWithTheSameBytesAsSendfile() throws IOException {
        // Given the bytes the PLAINTEXT path writes (buffers and a file region)
        byte[] plaintext = written(new EmbeddedChannel(new ResponseEncoder(false)), send(), true);

        // When the TLS path writes the same response
        EmbeddedChannel tls = new EmbeddedChannel(new ChunkedWriteHandler(), new ResponseEncoder(true));
        byte[] chunked = written(tls, send(), false);

        // Then no file region reaches the TLS handler, the bytes are identical, and the log stays open
        assertThat(chunked).hasSize(plaintext.length).isEqualTo(plaintext);
        assertThat(plaintext.length).isGreaterThan(400_000);
        assertThat(log.channel().isOpen()).isTrue();
    }

    private static byte[] written(EmbeddedChannel channel, Send send, boolean regionsAllowed) throws IOException {
        channel.writeAndFlush(send);
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        for (Object part; (part = channel.readOutbound()) != null; ) {
            try {
                if (part instanceof ByteBuf buf) {
                    assertThat(buf.readableBytes()).isLessThanOrEqualTo(SharedChunkedFile.CHUNK_BYTES + 1024);
                    buf.readBytes(out, buf.readableBytes());
                } else if (part instanceof FileRegion region) {
                    assertThat(regionsAllowed).as("a file region on a TLS connection").isTrue();
                    while (region.transferred() < region.count()) {
                        region.transferTo(sink, region.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound " + part);
                }
            } finally {
                ReferenceCountUtil.release(part);
            }
        }
        channel.finishAndReleaseAll();
        return out.toByteArray();
    }
}
