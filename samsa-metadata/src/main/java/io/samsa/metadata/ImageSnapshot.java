package io.samsa.metadata;

import io.samsa.metadata.record.MetadataCodecException;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.AclRecord;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.ClientQuotaRecord;
import io.samsa.metadata.record.MetadataRecord.ScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecordCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A whole {@link ClusterImage} in one file, as the batch of records that rebuilds it (KRaft snapshots work the
 * same way):
 *
 * <pre>
 * magic:int32("SMDS") version:int8(=1) appliedIndex:int64 length:int32 batch[length] (see MetadataRecordCodec)
 * </pre>
 *
 * The batch lists the cluster id, the brokers by node id, each topic by name (TopicRecord then its partitions),
 * the configs, the producer id counter, the ACLs, the SCRAM credentials and the client quotas; loading applies it to the empty image with {@link ImageApplier}, so
 * a snapshot is checked by the same rules as the log. Written to a temporary file, forced, then atomically renamed.
 * Stateless and thread-safe.
 */
final class ImageSnapshot {
    private static final int MAGIC = 0x534D4453;
    private static final byte VERSION = 1;

    private ImageSnapshot() {
    }

    /** Writes {@code image} to {@code file} durably. */
    static void write(ClusterImage image, Path file) throws IOException {
        byte[] batch = MetadataRecordCodec.encode(records(image));
        var bytes = new ByteArrayOutputStream(batch.length + 17);
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(image.appliedIndex());
            out.writeInt(batch.length);
            out.write(batch);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        try (var channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads an image written by {@link #write}.
     *
     * @throws IOException a file that is not a snapshot, or whose records do not apply cleanly
     */
    static ClusterImage read(Path file) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("Not a Samsa metadata snapshot: " + file);
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IOException("Unknown metadata snapshot version " + version + " in " + file);
            }
            long appliedIndex = in.readLong();
            byte[] batch = in.readNBytes(in.readInt());
            List<MetadataRecord> records = MetadataRecordCodec.decode(batch);
            return switch (ImageApplier.apply(ClusterImage.empty(), records, appliedIndex)) {
                case ApplyOutcome.Applied applied -> applied.image();
                case ApplyOutcome.Refused refused -> throw new IOException("Snapshot " + file
                        + " does not apply: " + refused.message());
            };
        } catch (MetadataCodecException e) {
            throw new IOException("Corrupt metadata snapshot " + file, e);
        }
    }

    /** The records that rebuild {@code image} from the empty image, in a deterministic order. */
    static List<MetadataRecord> records(ClusterImage image) {
        var records = new ArrayList<MetadataRecord>();
        if (image.clusterId() != null) {
            records.add(new ClusterIdRecord(image.clusterId()));
        }
        image.brokers().values().stream()
                .sorted(Comparator.comparingInt(BrokerRegistration::nodeId))
                .forEach(b -> {
                    records.add(new RegisterBrokerRecord(b.nodeId(), b.brokerEpoch(), b.incarnationId(),
                            b.endpoints(), b.rack(), b.fenced()));
                    if (b.inControlledShutdown()) {
                        records.add(new BrokerRegistrationChangeRecord(b.nodeId(), b.brokerEpoch(), b.fenced(),
                                true));
                    }
                });
        image.topics().values().stream()
                .sorted(Comparator.comparing(TopicImage::name))
                .forEach(t -> records.addAll(ControllerLogic.createTopicRecords(t, Map.of())));
        image.configs().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(ConfigResource::type)
                        .thenComparing(ConfigResource::name)))
                .forEach(e -> e.getValue().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(kv -> records.add(new ConfigRecord(e.getKey(), kv.getKey(), kv.getValue()))));
        if (image.nextProducerId() > 0) {
            records.add(new ProducerIdsRecord(-1, 0, image.nextProducerId()));
        }
        SecurityImage security = image.security();
        security.acls().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> records.add(new AclRecord(e.getKey(), e.getValue())));
        security.scram().values().stream()
                .sorted(Comparator.comparing(ScramCredentialEntry::user).thenComparing(ScramCredentialEntry::mechanism))
                .forEach(c -> records.add(new ScramCredentialRecord(c)));
        security.quotas().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(entity -> entity.entries().toString())))
                .forEach(e -> e.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(kv -> records.add(new ClientQuotaRecord(e.getKey(), kv.getKey(), kv.getValue()))));
        return records;
    }
}
