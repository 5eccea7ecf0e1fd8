package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The active controller's broker lifecycle decisions (KIP-631; Kafka's {@code ClusterControlManager} and the
 * broker parts of {@code ReplicationControlManager}): registration, fencing, unfencing and controlled shutdown, each
 * as the batch of records to append. Pure functions of the image and the arguments (liveness is judged by the
 * caller, {@link BrokerHeartbeats}); throws {@link ControllerException} on a refused request.
 */
final class BrokerLifecycle {
    /** Kafka's {@code unclean.leader.election.enable}, read from the topic's then the cluster's dynamic configs. */
    static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private BrokerLifecycle() {
    }

    /**
     * A registration: nothing when the same incarnation registers again (its current epoch is kept, KIP-631's
     * idempotent retry), else a fenced {@link RegisterBrokerRecord} whose epoch is its commit index, plus the
     * leadership moves away from the previous incarnation (as when fencing it).
     *
     * @param previousSessionAlive whether the current registration's session is alive on this controller
     * @return the records; empty when the registration is a retry of the current one
     * @throws ControllerException DUPLICATE_BROKER_REGISTRATION when another incarnation with a live session holds
     *                             the node id; UNKNOWN_SERVER_ERROR for a negative node id
     */
    static List<MetadataRecord> register(ClusterImage image, int nodeId, UUID incarnationId,
                                         List<BrokerRegistration.Endpoint> endpoints, String rack,
                                         boolean previousSessionAlive) {
        if (nodeId < 0) {
            throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Invalid node id " + nodeId);
        }
        BrokerRegistration existing = image.brokers().get(nodeId);
        if (existing != null && incarnationId.equals(existing.incarnationId())) {
            return List.of();
        }
        if (existing != null && existing.incarnationId() != null && previousSessionAlive) {
            throw new ControllerException(Error.DUPLICATE_BROKER_REGISTRATION, "Another broker is registered with "
                    + "that broker id: " + nodeId + " (incarnation " + existing.incarnationId() + ", epoch "
                    + existing.brokerEpoch() + ")");
        }
        var records = new ArrayList<MetadataRecord>();
        records.add(new RegisterBrokerRecord(nodeId, RegisterBrokerRecord.EPOCH_AT_COMMIT, incarnationId, endpoints,
                rack, true));
        if (existing != null) {
            records.addAll(moveAway(image, nodeId));
        }
        return records;
    }

    /**
     * Fences {@code nodeId}: a {@link BrokerRegistrationChangeRecord} plus, for every partition it leads or is in
     * the ISR of, the change of {@link PartitionChanges#withoutBroker}. Empty when already fenced.
     */
    static List<MetadataRecord> fence(ClusterImage image, int nodeId) {
        BrokerRegistration b = image.brokers().get(nodeId);
        if (b == null || b.fenced()) {
            return List.of();
        }
        var records = new ArrayList<MetadataRecord>();
        records.add(new BrokerRegistrationChangeRecord(nodeId, b.brokerEpoch(), true, false));
        records.addAll(moveAway(image, nodeId));
        return records;
    }

    /**
     * Starts a controlled shutdown: the broker is marked in controlled shutdown, leaves every ISR where others
     * remain, and its leaderships move to other eligible ISR members. Empty when nothing changes.
     */
    static List<MetadataRecord> beginControlledShutdown(ClusterImage image, int nodeId) {
        BrokerRegistration b = image.brokers().get(nodeId);
        if (b == null) {
            return List.of();
        }
        var records = new ArrayList<MetadataRecord>();
        if (!b.inControlledShutdown()) {
            records.add(new BrokerRegistrationChangeRecord(nodeId, b.brokerEpoch(), b.fenced(), true));
        }
        records.addAll(moveAway(image, nodeId));
        return records;
    }

    /**
     * Unfences {@code nodeId}: a {@link BrokerRegistrationChangeRecord} plus leadership for the leaderless
     * partitions whose ISR holds it ({@link PartitionChanges#withUnfencedBroker}). Empty when not fenced.
     */
    static List<MetadataRecord> unfence(ClusterImage image, int nodeId) {
        BrokerRegistration b = image.brokers().get(nodeId);
        if (b == null || !b.fenced() || b.inControlledShutdown()) {
            return List.of();
        }
        var records = new ArrayList<MetadataRecord>();
        records.add(new BrokerRegistrationChangeRecord(nodeId, b.brokerEpoch(), false, false));
        IntPredicate eligible = PartitionChanges.eligible(image);
        records.addAll(changeAll(image, topic -> p -> PartitionChanges.withUnfencedBroker(p, nodeId, eligible,
                uncleanEnabled(image, topic.name()))));
        return records;
    }

    /** Whether {@code nodeId} leads any partition. */
    static boolean leadsAnything(ClusterImage image, int nodeId) {
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions()) {
                if (p.leader() == nodeId) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Topic config, else cluster default, else false (Kafka's default). */
    static boolean uncleanEnabled(ClusterImage image, String topic) {
        String value = image.configs(ConfigResource.topic(topic)).get(UNCLEAN_LEADER_ELECTION_ENABLE);
        if (value == null) {
            value = image.configs(ConfigResource.clusterDefault()).get(UNCLEAN_LEADER_ELECTION_ENABLE);
        }
        return Boolean.parseBoolean(value);
    }

    private static List<MetadataRecord> moveAway(ClusterImage image, int nodeId) {
        IntPredicate eligible = PartitionChanges.eligible(image);
        IntPredicate others = id -> id != nodeId && eligible.test(id);
        return changeAll(image, topic -> p -> PartitionChanges.withoutBroker(p, nodeId, others,
                uncleanEnabled(image, topic.name())));
    }

    /** One PartitionRecord for each partition that {@code change} (per topic) changes. */
    static List<MetadataRecord> changeAll(ClusterImage image,
                                          Function<TopicImage, UnaryOperator<PartitionImage>> change) {
        var records = new ArrayList<MetadataRecord>();
        image.topics().values().stream()
                .sorted(Comparator.comparing(TopicImage::name))
                .forEach(topic -> {
                    UnaryOperator<PartitionImage> op = change.apply(topic);
                    for (PartitionImage p : topic.partitions()) {
                        PartitionImage changed = op.apply(p);
                        if (changed != p) {
                            records.add(ControllerLogic.partitionRecord(topic.topicId(), changed));
                        }
                    }
                });
        return records;
    }
}
