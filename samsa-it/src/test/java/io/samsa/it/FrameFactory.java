package io.samsa.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.utils.Crc32C;

/**
 * Builds the malformed frames of {@link FuzzIT} from a seeded {@link Random}: garbage, bad length prefixes, unknown
 * API keys and versions, truncated and bit-flipped real requests, and Produce requests whose record batch is
 * invalid by Kafka's rules (those target {@code corruptTopic} only and must never append). Not thread-safe.
 */
final class FrameFactory {
    /** Frame kinds; {@code CORRUPT_*} are Produce requests with acks=1 that must get an error code. */
    enum Kind {
        GARBAGE, BAD_LENGTH, SHORT_BODY, UNKNOWN_API, BAD_VERSION, TRUNCATED, FLIPPED,
        CORRUPT_CRC, CORRUPT_MAGIC, CORRUPT_BASE_OFFSET, CORRUPT_COUNT, CORRUPT_TRUNCATED_BATCH, CORRUPT_SECOND_BATCH,
        CORRUPT_CODEC, CORRUPT_RECORD_LENGTH, SENTINEL;

        boolean corruptBatch() {
            return name().startsWith("CORRUPT_");
        }
    }

    /** One frame as written to the socket (length prefix included). */
    record Frame(Kind kind, byte[] bytes, int correlationId, short version, boolean terminal, boolean halfClose) {
    }

    private static final Kind[] CORRUPT = {Kind.CORRUPT_CRC, Kind.CORRUPT_MAGIC, Kind.CORRUPT_BASE_OFFSET,
        Kind.CORRUPT_COUNT, Kind.CORRUPT_TRUNCATED_BATCH, Kind.CORRUPT_SECOND_BATCH, Kind.CORRUPT_CODEC,
        Kind.CORRUPT_RECORD_LENGTH};

    private final Random random;
    private final int maxRequestBytes;
    private final String corruptTopic;
    private final Uuid corruptTopicId;
    private final String scratchTopic;
    private final Uuid scratchTopicId;
    private int correlationId;

    FrameFactory(Random random, int maxRequestBytes, String corruptTopic, Uuid corruptTopicId, String scratchTopic,
                 Uuid scratchTopicId) {
        this.random = random;
        this.maxRequestBytes = maxRequestBytes;
        this.corruptTopic = corruptTopic;
        this.corruptTopicId = corruptTopicId;
        this.scratchTopic = scratchTopic;
        this.scratchTopicId = scratchTopicId;
    }

    /** A number from the same seeded sequence, in [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** The next malformed frame. */
    Frame next() {
        int dice = random.nextInt(100);
        if (dice < 18) {
            return garbage();
        } else if (dice < 22) {
            return badLength();
        } else if (dice < 24) {
            return shortBody();
        } else if (dice < 32) {
            return unknownApi();
        } else if (dice < 40) {
            return badVersion();
        } else if (dice < 55) {
            return truncated();
        } else if (dice < 70) {
            return flipped();
        }
        return corruptBatch(CORRUPT[random.nextInt(CORRUPT.length)]);
    }

    /** A valid ApiVersions v0 request: its response proves the connection survived what came before. */
    Frame sentinel() {
        int id = ++correlationId;
        return frame(Kind.SENTINEL, request(ApiKeys.API_VERSIONS, (short) 0, id,
                new org.apache.kafka.common.message.ApiVersionsRequestData()), id, (short) 0);
    }

    private Frame garbage() {
        byte[] body = new byte[random.nextInt(512)];
        random.nextBytes(body);
        return frame(Kind.GARBAGE, body, -1, (short) -1);
    }

    private Frame badLength() {
        int length = switch (random.nextInt(5)) {
            case 0 -> -1 - random.nextInt(Integer.MAX_VALUE);
            case 1 -> 0;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> maxRequestBytes + 1;
            default -> maxRequestBytes + 1 + random.nextInt(Integer.MAX_VALUE - maxRequestBytes - 1);
        };
        byte[] bytes = ByteBuffer.allocate(4 + 16).putInt(length).array();
        return new Frame(Kind.BAD_LENGTH, bytes, -1, (short) -1, true, false);
    }

    /** A length prefix promising more than is sent, then the end of the stream. */
    private Frame shortBody() {
        byte[] body = new byte[random.nextInt(64)];
        random.nextBytes(body);
        ByteBuffer buf = ByteBuffer.allocate(4 + body.length).putInt(body.length + 1 + random.nextInt(4096)).put(body);
        return new Frame(Kind.SHORT_BODY, buf.array(), -1, (short) -1, true, true);
    }

    private Frame unknownApi() {
        short apiKey;
        do {
            apiKey = (short) (random.nextBoolean() ? 100 + random.nextInt(30_000) : -1 - random.nextInt(32_000));
        } while (ApiKeys.hasId(apiKey));
        byte[] garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
        int id = ++correlationId;
        ByteBuffer buf = ByteBuffer.allocate(10 + garbage.length)
                .putShort(apiKey).putShort((short) random.nextInt(20)).putInt(id).putShort((short) -1).put(garbage);
        return frame(Kind.UNKNOWN_API, buf.array(), id, (short) -1);
    }

    private Frame badVersion() {
        ApiKeys key = List.of(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.METADATA, ApiKeys.LIST_OFFSETS,
                ApiKeys.CREATE_TOPICS, ApiKeys.API_VERSIONS, ApiKeys.INIT_PRODUCER_ID).get(random.nextInt(7));
        short version = (short) (random.nextBoolean() ? key.latestVersion(true) + 1 + random.nextInt(200)
                : -1 - random.nextInt(100));
        byte[] garbage = new byte[random.nextInt(128)];
        random.nextBytes(garbage);
        int id = ++correlationId;
        ByteBuffer buf = ByteBuffer.allocate(10 + garbage.length)
                .putShort(key.id).putShort(version).putInt(id).putShort((short) -1).put(garbage);
        return frame(Kind.BAD_VERSION, buf.array(), id, version);
    }

    private Frame truncated() {
        byte[] whole = realRequest(true);
        byte[] cut = java.util.Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
        return frame(Kind.TRUNCATED, cut, ByteBuffer.wrap(whole).getInt(4), (short) -1);
    }

    private Frame flipped() {
        byte[] bytes = realRequest(false);
        int id = ByteBuffer.wrap(bytes).getInt(4);
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return frame(Kind.FLIPPED, bytes, id, (short) -1);
    }

    /** A real request body (header included, no length prefix): Produce/Fetch/Metadata, and CreateTopics if allowed. */
    private byte[] realRequest(boolean mayCreateTopics) {
        int id = ++correlationId;
        int which = random.nextInt(mayCreateTopics ? 4 : 3);
        ApiKeys key = switch (which) {
            case 0 -> ApiKeys.PRODUCE;
            case 1 -> ApiKeys.FETCH;
            case 2 -> ApiKeys.METADATA;
            default -> ApiKeys.CREATE_TOPICS;
        };
        short version = version(key);
        ApiMessage body = switch (which) {
            case 0 -> produce(version, scratchTopic, scratchTopicId, validBatch());
            case 1 -> fetch(version);
            case 2 -> new MetadataRequestData().setAllowAutoTopicCreation(version < 4)
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(scratchTopic)));
            default -> new CreateTopicsRequestData().setTimeoutMs(5_000).setValidateOnly(version >= 1)
                    .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                            new CreateTopicsRequestData.CreatableTopic().setName("fuzz-created-" + id)
                                    .setNumPartitions(1).setReplicationFactor((short) 1)).iterator()));
        };
        return request(key, version, id, body);
    }

    private ApiMessage fetch(short version) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(65_536)));
        if (version >= 13) {
            topic.setTopicId(scratchTopicId);
        } else {
            topic.setTopic(scratchTopic);
        }
        return new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20).setSessionEpoch(-1)
                .setTopics(List.of(topic));
    }

    private Frame corruptBatch(Kind kind) {
        byte[] batch = validBatch();
        ByteBuffer b = ByteBuffer.wrap(batch);
        switch (kind) {
            case CORRUPT_CRC -> batch[61 + random.nextInt(batch.length - 61)] ^= (byte) (1 + random.nextInt(255));
            case CORRUPT_MAGIC -> batch[16] = (byte) (3 + random.nextInt(120));
            case CORRUPT_BASE_OFFSET -> b.putLong(0, 1 + random.nextInt(Integer.MAX_VALUE));
            case CORRUPT_COUNT -> withCrc(b.putInt(57, b.getInt(57) + (random.nextBoolean() ? 1 + random.nextInt(5) : -1)));
            case CORRUPT_TRUNCATED_BATCH -> batch = java.util.Arrays.copyOf(batch, 1 + random.nextInt(batch.length - 1));
            case CORRUPT_SECOND_BATCH -> {
                byte[] bad = validBatch();
                bad[61 + random.nextInt(bad.length - 61)] ^= (byte) 0x5a;
                batch = ByteBuffer.allocate(batch.length + bad.length).put(batch).put(bad).array();
            }
            case CORRUPT_CODEC -> withCrc(b.putShort(21, (short) ((b.getShort(21) & ~0x07) | (5 + random.nextInt(3)))));
            case CORRUPT_RECORD_LENGTH -> withCrc(b.put(61, (byte) 0xfe).put(62, (byte) 0xff).put(63, (byte) 0x7f));
            default -> throw new IllegalArgumentException(kind.name());
        }
        int id = ++correlationId;
        short version = version(ApiKeys.PRODUCE);
        return frame(kind, request(ApiKeys.PRODUCE, version, id, produce(version, corruptTopic, corruptTopicId, batch)),
                id, version);
    }

    /** Recomputes the CRC-32C of a v2 batch (attributes to the end) so that only the intended defect remains. */
    private static void withCrc(ByteBuffer batch) {
        batch.putInt(17, (int) Crc32C.compute(batch.array(), 21, batch.capacity() - 21));
    }

    /** One uncompressed (CORRUPT_* needs to reach the records) v2 batch of 1-5 records, base offset 0. */
    private byte[] validBatch() {
        SimpleRecord[] records = new SimpleRecord[1 + random.nextInt(5)];
        for (int i = 0; i < records.length; i++) {
            byte[] value = new byte[random.nextInt(100)];
            random.nextBytes(value);
            records[i] = new SimpleRecord(System.currentTimeMillis(), ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        ByteBuffer buf = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    private static ProduceRequestData produce(short version, String topic, Uuid topicId, byte[] batch) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batch)))));
        if (version >= 13) {
            data.setTopicId(topicId);
        } else {
            data.setName(topic);
        }
        return new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(data).iterator()));
    }

    private short version(ApiKeys key) {
        short oldest = key.oldestVersion();
        return (short) (oldest + random.nextInt(key.latestVersion() - oldest + 1));
    }

    private static byte[] request(ApiKeys key, short version, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, "fuzz", correlationId);
        ByteBuffer buf = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    private static Frame frame(Kind kind, byte[] body, int correlationId, short version) {
        ByteBuffer buf = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body);
        return new Frame(kind, buf.array(), correlationId, version, false, false);
    }
}
