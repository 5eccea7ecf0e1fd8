package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;

import java.util.List;
import java.util.UUID;

/** Builds images for pure tests by applying records, as the state machine does. */
final class Images {
    static final UUID TOPIC_ID = new UUID(1, 1);

    private ClusterImage image = ClusterImage.empty();

    static Images builder() {
        return new Images();
    }

    /** Unfenced broker {@code nodeId} with its own incarnation id, on {@code rack} (null: none). */
    Images broker(int nodeId, String rack) {
        return apply(new RegisterBrokerRecord(nodeId, RegisterBrokerRecord.EPOCH_AT_COMMIT, new UUID(9, nodeId),
                List.of(), rack, false));
    }

    Images brokers(int... nodeIds) {
        for (int id : nodeIds) {
            broker(id, null);
        }
        return this;
    }

    Images fenced(int nodeId) {
        BrokerRegistration b = image.brokers().get(nodeId);
        return apply(new BrokerRegistrationChangeRecord(nodeId, b.brokerEpoch(), true, false));
    }

    /** Topic "t" (id {@link #TOPIC_ID}) with the given partitions. */
    Images topic(PartitionImage... partitions) {
        var batch = new java.util.ArrayList<MetadataRecord>();
        batch.add(new TopicRecord("t", TOPIC_ID));
        for (PartitionImage p : partitions) {
            batch.add(new PartitionRecord(TOPIC_ID, p.partition(), p.replicas(), p.isr(), p.leader(), p.leaderEpoch(),
                    p.partitionEpoch(), p.addingReplicas(), p.removingReplicas()));
        }
        return apply(batch.toArray(MetadataRecord[]::new));
    }

    Images apply(MetadataRecord... records) {
        image = applied(image, List.of(records));
        return this;
    }

    ClusterImage build() {
        return image;
    }

    static ClusterImage applied(ClusterImage image, List<MetadataRecord> records) {
        return switch (ImageApplier.apply(image, records, image.appliedIndex() + 1)) {
            case ApplyOutcome.Applied a -> a.image();
            case ApplyOutcome.Refused r -> throw new AssertionError("Refused: " + r);
        };
    }

    static PartitionImage partition(ClusterImage image, int partition) {
        return image.topics().get("t").partitions().get(partition);
    }

    private Images() {
    }
}
