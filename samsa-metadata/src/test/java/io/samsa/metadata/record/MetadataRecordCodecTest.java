package io.samsa.metadata.record;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveTopicRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataRecordCodecTest {
    private static final UUID TOPIC_ID = UUID.fromString("0b6a6e3c-2f3e-4c1a-9a51-3f1d1b4f7a10");

    static List<MetadataRecord> oneOfEach() {
        return List.of(
                new ClusterIdRecord("MkU3OEVBNTcwNTJENDM2Qk"),
                new RegisterBrokerRecord(1, 42L, List.of(new Endpoint("PLAINTEXT", "localhost", 9092),
                        new Endpoint("SSL", "broker-1.example", 9093)), "rack-a", false),
                new RegisterBrokerRecord(2, 43L, List.of(), null, true),
                new TopicRecord("orders", TOPIC_ID),
                new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3), List.of(1, 2), 1, 4, 7),
                new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", "60000"),
                new ConfigRecord(new ConfigResource(ConfigResource.Type.BROKER, ""), "log.retention.hours", null),
                new RemoveTopicRecord(TOPIC_ID),
                new ProducerIdsRecord(1, 1000L, 2000L),
                new TopicRecord("ünïcödé-ok", new UUID(Long.MIN_VALUE, Long.MAX_VALUE)),
                new RegisterBrokerRecord(3, RegisterBrokerRecord.EPOCH_AT_COMMIT, new UUID(7, 8),
                        List.of(new Endpoint("PLAINTEXT", "h3", 9094)), "rack-b", true),
                new BrokerRegistrationChangeRecord(3, 44L, false, true),
                new PartitionRecord(TOPIC_ID, 1, List.of(4, 1, 2), List.of(1, 2), 1, 5, 8, List.of(4), List.of(2)),
                new MetadataRecord.AclRecord(TOPIC_ID, new io.samsa.metadata.AclEntry((byte) 2, "tö", (byte) 4,
                        "User:*", "*", (byte) 4, (byte) 3)),
                new MetadataRecord.RemoveAclRecord(TOPIC_ID),
                new MetadataRecord.ScramCredentialRecord(new io.samsa.metadata.ScramCredentialEntry("alice",
                        (byte) 2, new byte[] {1}, new byte[] {2, 3}, new byte[0], 4096)),
                new MetadataRecord.RemoveScramCredentialRecord("alice", (byte) 1),
                new MetadataRecord.ClientQuotaRecord(new io.samsa.metadata.QuotaEntity(
                        java.util.Collections.singletonMap("user", null)), "producer_byte_rate", 1e6));
    }

    /** A batch written by the codec before KIP-631 support (commit 14a1173), as a single-node log holds it. */
    private static final String BEFORE_KIP_631 = "01040101174d6b55334f4556424e5463774e544a454e444d32516b0201000000010"
            + "000000000000005010a504c41494e544558540a6c6f63616c686f737400002384037231000301076f72646572730b6a6e3c2f"
            + "3e4c1a9a513f1d1b4f7a1004010b6a6e3c2f3e4c1a9a513f1d1b4f7a10000000000100000001010000000100000001000000"
            + "0000000000";

    @Test
    void batchesWrittenBeforeIncarnationIdsStillDecode() {
        // Given bytes from the previous release's codec
        byte[] bytes = java.util.HexFormat.of().parseHex(BEFORE_KIP_631);

        // When
        List<MetadataRecord> decoded = MetadataRecordCodec.decode(bytes);

        // Then the broker has no incarnation id and the partition no reassignment
        assertThat(decoded).containsExactly(
                new ClusterIdRecord("MkU3OEVBNTcwNTJENDM2Qk"),
                new RegisterBrokerRecord(1, 5L, null, List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), "r1",
                        false),
                new TopicRecord("orders", TOPIC_ID),
                new PartitionRecord(TOPIC_ID, 0, List.of(1), List.of(1), 1, 0, 0, List.of(), List.of()));
        // and records without the new fields are still written byte for byte as before
        assertThat(MetadataRecordCodec.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void everyRecordTypeRoundTrips() {
        // Given one record of each type (and nulls, empty lists, non-ASCII text)
        List<MetadataRecord> batch = oneOfEach();

        // When encoded and decoded
        List<MetadataRecord> decoded = MetadataRecordCodec.decode(MetadataRecordCodec.encode(batch));

        // Then nothing is lost
        assertThat(decoded).containsExactlyElementsOf(batch);
        assertThat(decoded.stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(MetadataRecord.class.getPermittedSubclasses())
                        .toList());
    }

    @Test
    void eachRecordRoundTripsAlone() {
        for (MetadataRecord record : oneOfEach()) {
            assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(List.of(record))))
                    .containsExactly(record);
        }
    }

    @Test
    void emptyBatchRoundTrips() {
        assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void unknownTagFailsLoudly() {
        byte[] bytes = MetadataRecordCodec.encode(List.of(new RemoveTopicRecord(TOPIC_ID)));
        bytes[2] = 99; // format, count, then the record's tag

        assertThatThrownBy(() -> MetadataRecordCodec.decode(bytes))
                .isInstanceOf(MetadataCodecException.class)
                .hasMessageContaining("tag 99");
    }

    @Test
    void unknownRecordVersionFailsLoudly() {
        byte[] bytes = MetadataRecordCodec.encode(List.of(new RemoveTopicRecord(TOPIC_ID)));
        bytes[3] = 2;

        assertThatThrownBy(() -> MetadataRecordCodec.decode(bytes)).isInstanceOf(MetadataCodecException.class);
    }

    @Test
    void unknownFormatVersionFailsLoudly() {
        byte[] bytes = MetadataRecordCodec.encode(List.of());
        bytes[0] = 7;

        assertThatThrownBy(() -> MetadataRecordCodec.decode(bytes))
                .isInstanceOf(MetadataCodecException.class)
                .hasMessageContaining("format version 7");
    }

    @Test
    void truncatedAndTrailingBytesFail() {
        byte[] bytes = MetadataRecordCodec.encode(oneOfEach());

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> MetadataRecordCodec.decode(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(MetadataCodecException.class);
        }
        assertThatThrownBy(() -> MetadataRecordCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(MetadataCodecException.class)
                .hasMessageContaining("trailing");
    }
}
