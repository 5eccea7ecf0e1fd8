package io.samsa.coordinator.group.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    static CoordinatorRecord roundTrip(CoordinatorRecord r) {
        byte[] value = RecordCodec.value(r);
        return RecordCodec.decode(ByteBuffer.wrap(RecordCodec.key(r)), value == null ? null : ByteBuffer.wrap(value));
    }

    @Test
    void offsetCommitsAndTombstonesRoundTrip() {
        OffsetCommitRecord r = new OffsetCommitRecord("g", "t", 3,
                new OffsetCommitRecord.Value(42, 7, "meta", 1000, -1));
        assertThat(roundTrip(r)).isEqualTo(r);
        assertThat(roundTrip(OffsetCommitRecord.tombstone("g", "t", 3))).isEqualTo(OffsetCommitRecord.tombstone("g", "t", 3));
    }

    @Test
    void groupMetadataRoundTrips() {
        GroupMetadataRecord r = new GroupMetadataRecord("g", new GroupMetadataRecord.Value("consumer", 5, "range",
                "m1", 123, List.of(new GroupMetadataRecord.Member("m1", null, "c", "/h", 300, 10, new byte[] {1},
                        new byte[] {2}), new GroupMetadataRecord.Member("m2", "i2", "c", "/h", 300, 10,
                        new byte[0], new byte[] {3}))));
        assertThat(roundTrip(r)).isEqualTo(r);
        assertThat(roundTrip(GroupMetadataRecord.tombstone("g"))).isEqualTo(GroupMetadataRecord.tombstone("g"));
    }

    @Test
    void consumerGroupTagsDecodeAsRawAndUnknownTagsAreSkipped() {
        ByteBuffer key = RecordCodec.rawKeyPrefix(RecordType.CONSUMER_GROUP_MEMBER_METADATA, "g", 2);
        key.putShort((short) 9).flip();
        CoordinatorRecord raw = RecordCodec.decode(key, ByteBuffer.wrap(new byte[] {0, 0, 5}));
        assertThat(raw).isInstanceOf(CoordinatorRecord.Raw.class);
        assertThat(raw.groupId()).isEqualTo("g");
        assertThat(raw.type()).isEqualTo(RecordType.CONSUMER_GROUP_MEMBER_METADATA);
        assertThat(RecordCodec.decode(ByteBuffer.wrap(new byte[] {0, 1, 0, 0}), null)).isNull();
    }

    @Test
    void laterVersionsMayAppendFields() {
        OffsetCommitRecord r = new OffsetCommitRecord("g", "t", 0, new OffsetCommitRecord.Value(1, -1, "", 5, -1));
        byte[] value = RecordCodec.value(r);
        ByteBuffer longer = ByteBuffer.allocate(value.length + 8).put(value).putLong(99);
        longer.flip();
        assertThat(RecordCodec.decode(ByteBuffer.wrap(RecordCodec.key(r)), longer)).isEqualTo(r);
    }
}
