package io.samsa.metadata.record;

import io.samsa.metadata.AclEntry;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.QuotaEntity;
import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.record.MetadataRecord.AclRecord;
import io.samsa.metadata.record.MetadataRecord.ClientQuotaRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveAclRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.ScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveTopicRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The binary form of a batch of {@link MetadataRecord}s: the payload of one Ratis log entry, and the body of a
 * snapshot. Big-endian, {@link DataOutputStream}-style:
 *
 * <pre>
 * batch   := formatVersion:int8(=1) count:uvarint record{count}
 * record  := tag:int8 version:int8(=1) fields
 * string  := uvarint(len + 1) utf8{len}        (0 = null)
 * list    := uvarint(count) element{count}
 * uuid    := mostSigBits:int64 leastSigBits:int64
 * </pre>
 *
 * Tags (never reuse one): 1 ClusterId(string), 2 RegisterBroker(nodeId:int32 brokerEpoch:int64
 * endpoints:list(listener:string host:string port:int32) rack:string fenced:bool; version 2 appends
 * hasIncarnation:bool [incarnationId:uuid]), 3 Topic(name:string id:uuid),
 * 4 Partition(topicId:uuid partition:int32 replicas:list(int32) isr:list(int32) leader:int32 leaderEpoch:int32
 * partitionEpoch:int32; version 2 appends adding:list(int32) removing:list(int32)), 5 Config(type:int8 name:string
 * key:string value:string), 6 RemoveTopic(id:uuid), 7 ProducerIds(brokerId:int32 first:int64 next:int64),
 * 8 BrokerRegistrationChange(nodeId:int32 brokerEpoch:int64 fenced:bool inControlledShutdown:bool),
 * 9 Acl(id:uuid resourceType:int8 resourceName:string patternType:int8 principal:string host:string operation:int8
 * permission:int8), 10 RemoveAcl(id:uuid), 11 ScramCredential(user:string mechanism:int8 salt:bytes storedKey:bytes
 * serverKey:bytes iterations:int32), 12 RemoveScramCredential(user:string mechanism:int8),
 * 13 ClientQuota(entity:list(type:string name:string) key:string hasValue:bool [value:float64]);
 * {@code bytes := uvarint(len) byte{len}}.
 *
 * <p>Records are written at the lowest version that holds them (a RegisterBroker without incarnation id, a
 * Partition without reassignment stay version 1), so a batch of unchanged records is byte-identical to what the
 * previous release wrote. To evolve a record, bump its version byte and keep reading the old one. An unknown format version, tag or
 * record version fails with {@link MetadataCodecException}: there is no skipping, because a replica that ignores a
 * record diverges. Stateless and thread-safe.
 */
public final class MetadataRecordCodec {
    /** The batch format this code writes. */
    public static final byte FORMAT_VERSION = 1;

    private static final byte RECORD_VERSION = 1;
    private static final byte RECORD_VERSION_2 = 2;
    private static final byte TAG_CLUSTER_ID = 1;
    private static final byte TAG_REGISTER_BROKER = 2;
    private static final byte TAG_TOPIC = 3;
    private static final byte TAG_PARTITION = 4;
    private static final byte TAG_CONFIG = 5;
    private static final byte TAG_REMOVE_TOPIC = 6;
    private static final byte TAG_PRODUCER_IDS = 7;
    private static final byte TAG_BROKER_CHANGE = 8;
    private static final byte TAG_ACL = 9;
    private static final byte TAG_REMOVE_ACL = 10;
    private static final byte TAG_SCRAM = 11;
    private static final byte TAG_REMOVE_SCRAM = 12;
    private static final byte TAG_CLIENT_QUOTA = 13;

    private MetadataRecordCodec() {
    }

    /** Encodes a batch (possibly empty). */
    public static byte[] encode(List<? extends MetadataRecord> records) {
        var bytes = new ByteArrayOutputStream(64 + 32 * records.size());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeUvarint(out, records.size());
            for (MetadataRecord record : records) {
                writeRecord(out, record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a whole batch.
     *
     * @throws MetadataCodecException unknown version or tag, truncated input, or trailing bytes
     */
    public static List<MetadataRecord> decode(byte[] bytes) {
        var in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            byte format = in.readByte();
            if (format != FORMAT_VERSION) {
                throw new MetadataCodecException("Unknown metadata batch format version " + format);
            }
            int count = readCount(in);
            var records = new ArrayList<MetadataRecord>(count);
            for (int i = 0; i < count; i++) {
                records.add(readRecord(in));
            }
            if (in.available() > 0) {
                throw new MetadataCodecException(in.available() + " trailing bytes after " + count + " records");
            }
            return List.copyOf(records);
        } catch (EOFException e) {
            throw new MetadataCodecException("Truncated metadata batch of " + bytes.length + " bytes", e);
        } catch (IOException e) {
            throw new MetadataCodecException("Unreadable metadata batch", e);
        }
    }

    private static void writeRecord(DataOutputStream out, MetadataRecord record) throws IOException {
        switch (record) {
            case ClusterIdRecord r -> {
                header(out, TAG_CLUSTER_ID);
                writeString(out, r.clusterId());
            }
            case RegisterBrokerRecord r -> {
                boolean v2 = r.incarnationId() != null;
                header(out, TAG_REGISTER_BROKER, v2 ? RECORD_VERSION_2 : RECORD_VERSION);
                out.writeInt(r.nodeId());
                out.writeLong(r.brokerEpoch());
                writeUvarint(out, r.endpoints().size());
                for (BrokerRegistration.Endpoint e : r.endpoints()) {
                    writeString(out, e.listener());
                    writeString(out, e.host());
                    out.writeInt(e.port());
                }
                writeString(out, r.rack());
                out.writeBoolean(r.fenced());
                if (v2) {
                    out.writeBoolean(true);
                    writeUuid(out, r.incarnationId());
                }
            }
            case TopicRecord r -> {
                header(out, TAG_TOPIC);
                writeString(out, r.name());
                writeUuid(out, r.topicId());
            }
            case PartitionRecord r -> {
                boolean v2 = !r.addingReplicas().isEmpty() || !r.removingReplicas().isEmpty();
                header(out, TAG_PARTITION, v2 ? RECORD_VERSION_2 : RECORD_VERSION);
                writeUuid(out, r.topicId());
                out.writeInt(r.partition());
                writeInts(out, r.replicas());
                writeInts(out, r.isr());
                out.writeInt(r.leader());
                out.writeInt(r.leaderEpoch());
                out.writeInt(r.partitionEpoch());
                if (v2) {
                    writeInts(out, r.addingReplicas());
                    writeInts(out, r.removingReplicas());
                }
            }
            case ConfigRecord r -> {
                header(out, TAG_CONFIG);
                out.writeByte(r.resource().type().ordinal());
                writeString(out, r.resource().name());
                writeString(out, r.key());
                writeString(out, r.value());
            }
            case RemoveTopicRecord r -> {
                header(out, TAG_REMOVE_TOPIC);
                writeUuid(out, r.topicId());
            }
            case ProducerIdsRecord r -> {
                header(out, TAG_PRODUCER_IDS);
                out.writeInt(r.brokerId());
                out.writeLong(r.firstProducerId());
                out.writeLong(r.nextProducerId());
            }
            case BrokerRegistrationChangeRecord r -> {
                header(out, TAG_BROKER_CHANGE);
                out.writeInt(r.nodeId());
                out.writeLong(r.brokerEpoch());
                out.writeBoolean(r.fenced());
                out.writeBoolean(r.inControlledShutdown());
            }
            case AclRecord r -> {
                header(out, TAG_ACL);
                writeUuid(out, r.id());
                AclEntry e = r.entry();
                out.writeByte(e.resourceType());
                writeString(out, e.resourceName());
                out.writeByte(e.patternType());
                writeString(out, e.principal());
                writeString(out, e.host());
                out.writeByte(e.operation());
                out.writeByte(e.permissionType());
            }
            case RemoveAclRecord r -> {
                header(out, TAG_REMOVE_ACL);
                writeUuid(out, r.id());
            }
            case ScramCredentialRecord r -> {
                header(out, TAG_SCRAM);
                ScramCredentialEntry c = r.credential();
                writeString(out, c.user());
                out.writeByte(c.mechanism());
                writeBytes(out, c.salt());
                writeBytes(out, c.storedKey());
                writeBytes(out, c.serverKey());
                out.writeInt(c.iterations());
            }
            case RemoveScramCredentialRecord r -> {
                header(out, TAG_REMOVE_SCRAM);
                writeString(out, r.user());
                out.writeByte(r.mechanism());
            }
            case ClientQuotaRecord r -> {
                header(out, TAG_CLIENT_QUOTA);
                writeUvarint(out, r.entity().entries().size());
                for (Map.Entry<String, String> e : r.entity().entries().entrySet()) {
                    writeString(out, e.getKey());
                    writeString(out, e.getValue());
                }
                writeString(out, r.key());
                out.writeBoolean(r.value() != null);
                if (r.value() != null) {
                    out.writeDouble(r.value());
                }
            }
        }
    }

    private static MetadataRecord readRecord(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        byte version = in.readByte();
        int maxVersion = tag == TAG_REGISTER_BROKER || tag == TAG_PARTITION ? RECORD_VERSION_2 : RECORD_VERSION;
        if (version < RECORD_VERSION || version > maxVersion || tag < TAG_CLUSTER_ID || tag > TAG_CLIENT_QUOTA) {
            throw new MetadataCodecException("Unknown metadata record tag " + tag + " version " + version);
        }
        return switch (tag) {
            case TAG_CLUSTER_ID -> new ClusterIdRecord(readString(in));
            case TAG_REGISTER_BROKER -> {
                int nodeId = in.readInt();
                long epoch = in.readLong();
                int n = readCount(in);
                var endpoints = new ArrayList<BrokerRegistration.Endpoint>(n);
                for (int i = 0; i < n; i++) {
                    endpoints.add(new BrokerRegistration.Endpoint(readString(in), readString(in), in.readInt()));
                }
                String rack = readString(in);
                boolean fenced = in.readBoolean();
                UUID incarnation = version >= RECORD_VERSION_2 && in.readBoolean() ? readUuid(in) : null;
                yield new RegisterBrokerRecord(nodeId, epoch, incarnation, endpoints, rack, fenced);
            }
            case TAG_TOPIC -> new TopicRecord(readString(in), readUuid(in));
            case TAG_PARTITION -> {
                var r = new PartitionRecord(readUuid(in), in.readInt(), readInts(in), readInts(in), in.readInt(),
                        in.readInt(), in.readInt());
                yield version < RECORD_VERSION_2 ? r : new PartitionRecord(r.topicId(), r.partition(), r.replicas(),
                        r.isr(), r.leader(), r.leaderEpoch(), r.partitionEpoch(), readInts(in), readInts(in));
            }
            case TAG_CONFIG -> new ConfigRecord(new ConfigResource(readResourceType(in), readString(in)),
                    readString(in), readString(in));
            case TAG_REMOVE_TOPIC -> new RemoveTopicRecord(readUuid(in));
            case TAG_PRODUCER_IDS -> new ProducerIdsRecord(in.readInt(), in.readLong(), in.readLong());
            case TAG_BROKER_CHANGE -> new BrokerRegistrationChangeRecord(in.readInt(), in.readLong(),
                    in.readBoolean(), in.readBoolean());
            case TAG_ACL -> new AclRecord(readUuid(in), new AclEntry(in.readByte(), readRequiredString(in),
                    in.readByte(), readRequiredString(in), readRequiredString(in), in.readByte(), in.readByte()));
            case TAG_REMOVE_ACL -> new RemoveAclRecord(readUuid(in));
            case TAG_SCRAM -> new ScramCredentialRecord(new ScramCredentialEntry(readRequiredString(in),
                    in.readByte(), readBytes(in), readBytes(in), readBytes(in), in.readInt()));
            case TAG_REMOVE_SCRAM -> new RemoveScramCredentialRecord(readRequiredString(in), in.readByte());
            default -> {
                int n = readCount(in);
                if (n == 0) {
                    throw new MetadataCodecException("Client quota record without entity");
                }
                var entries = new LinkedHashMap<String, String>();
                for (int i = 0; i < n; i++) {
                    entries.put(readRequiredString(in), readString(in));
                }
                String key = readRequiredString(in);
                Double value = in.readBoolean() ? in.readDouble() : null;
                yield new ClientQuotaRecord(new QuotaEntity(entries), key, value);
            }
        };
    }

    private static void header(DataOutputStream out, byte tag) throws IOException {
        header(out, tag, RECORD_VERSION);
    }

    private static void header(DataOutputStream out, byte tag, byte version) throws IOException {
        out.writeByte(tag);
        out.writeByte(version);
    }

    private static ConfigResource.Type readResourceType(DataInputStream in) throws IOException {
        int ordinal = in.readByte();
        var types = ConfigResource.Type.values();
        if (ordinal < 0 || ordinal >= types.length) {
            throw new MetadataCodecException("Unknown config resource type " + ordinal);
        }
        return types[ordinal];
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            writeUvarint(out, 0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeUvarint(out, utf8.length + 1);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int lengthPlusOne = readUvarint(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        int length = lengthPlusOne - 1;
        if (length > in.available()) {
            throw new EOFException("string of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readRequiredString(DataInputStream in) throws IOException {
        String s = readString(in);
        if (s == null) {
            throw new MetadataCodecException("Unexpected null string");
        }
        return s;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        writeUvarint(out, bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = readUvarint(in);
        if (length > in.available()) {
            throw new EOFException("bytes of length " + length);
        }
        return in.readNBytes(length);
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeInts(DataOutputStream out, List<Integer> ints) throws IOException {
        writeUvarint(out, ints.size());
        for (int i : ints) {
            out.writeInt(i);
        }
    }

    private static List<Integer> readInts(DataInputStream in) throws IOException {
        int n = readCount(in);
        var ints = new ArrayList<Integer>(n);
        for (int i = 0; i < n; i++) {
            ints.add(in.readInt());
        }
        return ints;
    }

    /** A count of elements, each at least one byte: more than the bytes left is corruption, not a huge allocation. */
    private static int readCount(DataInputStream in) throws IOException {
        int n = readUvarint(in);
        if (n > in.available()) {
            throw new EOFException("count " + n + " exceeds the " + in.available() + " bytes left");
        }
        return n;
    }

    private static void writeUvarint(DataOutputStream out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readUvarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new MetadataCodecException("Negative varint " + value);
                }
                return value;
            }
        }
        throw new MetadataCodecException("Varint longer than 5 bytes");
    }
}
