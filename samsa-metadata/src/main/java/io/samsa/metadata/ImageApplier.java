package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.AclRecord;
import io.samsa.metadata.record.MetadataRecord.BrokerRegistrationChangeRecord;
import io.samsa.metadata.record.MetadataRecord.ClientQuotaRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveAclRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.ScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveTopicRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a batch of records to an image: the authoritative validation and the only place the metadata changes.
 * Pure and deterministic (no clock, no randomness, no I/O), and total: every batch yields an {@link ApplyOutcome},
 * never an exception. A batch is all or nothing; the first record that does not fit refuses the whole batch.
 *
 * <p>What apply re-checks is exactly what can change between the leader planning a batch and the batch committing:
 * a topic name or id taken, a topic deleted, a broker epoch or producer id range taken, a partition epoch moved on.
 * Everything else (name syntax, replica placement) was validated by {@link ControllerLogic} on the leader.
 *
 * <p>One instance per batch; not thread-safe. Maps are copied on first write, so a batch touching only brokers
 * shares the topic maps with the previous image. A topic's partition list is copied once per batch too (into
 * {@link #pendingPartitions}) and frozen when the batch ends: a create of N partitions is one batch of N records, and
 * a copy per record made it O(N²) (10,000 partitions: 10⁸ element copies and about 1.6 GB of garbage per apply).
 */
final class ImageApplier {
    private final ClusterImage base;
    private final long index;
    private String clusterId;
    private long nextProducerId;
    private Map<Integer, BrokerRegistration> brokers;
    private Map<String, TopicImage> topics;
    private Map<UUID, TopicImage> topicsById;
    private Map<ConfigResource, Map<String, String>> configs;
    private Map<UUID, AclEntry> acls;
    private Map<SecurityImage.ScramKey, ScramCredentialEntry> scram;
    private Map<QuotaEntity, Map<String, Double>> quotas;
    private final Set<UUID> createdTopics = new HashSet<>();
    /** Partition lists changed by this batch, by topic id; their {@link TopicImage}s are rebuilt at the end. */
    private final Map<UUID, ArrayList<PartitionImage>> pendingPartitions = new HashMap<>();

    private ImageApplier(ClusterImage base, long index) {
        this.base = base;
        this.index = index;
        this.clusterId = base.clusterId();
        this.nextProducerId = base.nextProducerId();
        this.brokers = base.brokers();
        this.topics = base.topics();
        this.topicsById = base.topicsById();
        this.configs = base.configs();
        this.acls = base.security().acls();
        this.scram = base.security().scram();
        this.quotas = base.security().quotas();
    }

    /**
     * Applies {@code batch} on top of {@code image} as the log entry at {@code index}.
     *
     * @return {@link ApplyOutcome.Applied} with the new image (its {@code appliedIndex} is {@code index}), or
     *         {@link ApplyOutcome.Refused} (the caller keeps {@code image}, advancing only its applied index)
     */
    static ApplyOutcome apply(ClusterImage image, List<MetadataRecord> batch, long index) {
        var applier = new ImageApplier(image, index);
        for (MetadataRecord record : batch) {
            ApplyOutcome.Refused refused = applier.applyOne(record);
            if (refused != null) {
                return refused;
            }
        }
        applier.freezePartitions();
        for (UUID id : applier.createdTopics) {
            TopicImage topic = applier.topicsById.get(id);
            if (topic != null && topic.partitions().isEmpty()) {
                return new ApplyOutcome.Refused(Error.INVALID_PARTITIONS, "Topic " + topic.name()
                        + " was created without partitions", false);
            }
        }
        return new ApplyOutcome.Applied(applier.build(index));
    }

    /** {@code image} after a refused batch at {@code index}: unchanged but for its applied index. */
    static ClusterImage advance(ClusterImage image, long index) {
        return new ClusterImage(image.clusterId(), image.controllerId(), image.controllerEpoch(), image.brokers(),
                image.topics(), image.topicsById(), image.configs(), image.nextProducerId(), index, image.security());
    }

    private ApplyOutcome.Refused applyOne(MetadataRecord record) {
        return switch (record) {
            case ClusterIdRecord r -> clusterId(r);
            case RegisterBrokerRecord r -> registerBroker(r);
            case BrokerRegistrationChangeRecord r -> brokerChange(r);
            case TopicRecord r -> topic(r);
            case PartitionRecord r -> partition(r);
            case ConfigRecord r -> config(r);
            case RemoveTopicRecord r -> removeTopic(r);
            case ProducerIdsRecord r -> producerIds(r);
            case AclRecord r -> acl(r);
            case RemoveAclRecord r -> {
                if (acls.containsKey(r.id())) {
                    acls = writable(acls, base.security().acls());
                    acls.remove(r.id());
                }
                yield null;
            }
            case ScramCredentialRecord r -> {
                scram = writable(scram, base.security().scram());
                scram.put(r.credential().key(), r.credential());
                yield null;
            }
            case RemoveScramCredentialRecord r -> {
                var key = new SecurityImage.ScramKey(r.user(), r.mechanism());
                if (scram.containsKey(key)) {
                    scram = writable(scram, base.security().scram());
                    scram.remove(key);
                }
                yield null;
            }
            case ClientQuotaRecord r -> clientQuota(r);
        };
    }

    private ApplyOutcome.Refused clusterId(ClusterIdRecord r) {
        if (clusterId != null) {
            return new ApplyOutcome.Refused(Error.UNKNOWN_SERVER_ERROR, "The cluster id is already " + clusterId,
                    false);
        }
        clusterId = r.clusterId();
        return null;
    }

    private ApplyOutcome.Refused registerBroker(RegisterBrokerRecord r) {
        BrokerRegistration existing = brokers.get(r.nodeId());
        long epoch = r.brokerEpoch() == RegisterBrokerRecord.EPOCH_AT_COMMIT ? index : r.brokerEpoch();
        if (existing != null && epoch <= existing.brokerEpoch()) {
            return ApplyOutcome.Refused.conflict("Broker " + r.nodeId() + " already has epoch "
                    + existing.brokerEpoch() + " >= " + epoch);
        }
        brokers = writable(brokers, base.brokers());
        brokers.put(r.nodeId(), new BrokerRegistration(r.nodeId(), epoch, r.incarnationId(), r.endpoints(), r.rack(),
                r.fenced(), false));
        return null;
    }

    private ApplyOutcome.Refused brokerChange(BrokerRegistrationChangeRecord r) {
        BrokerRegistration existing = brokers.get(r.nodeId());
        if (existing == null) {
            return new ApplyOutcome.Refused(Error.BROKER_ID_NOT_REGISTERED, "Broker " + r.nodeId()
                    + " is not registered", false);
        }
        if (existing.brokerEpoch() != r.brokerEpoch()) {
            return new ApplyOutcome.Refused(Error.STALE_BROKER_EPOCH, "Broker " + r.nodeId() + " has epoch "
                    + existing.brokerEpoch() + ", not " + r.brokerEpoch(), false);
        }
        brokers = writable(brokers, base.brokers());
        brokers.put(r.nodeId(), new BrokerRegistration(r.nodeId(), existing.brokerEpoch(), existing.incarnationId(),
                existing.endpoints(), existing.rack(), r.fenced(), r.inControlledShutdown()));
        return null;
    }

    private ApplyOutcome.Refused topic(TopicRecord r) {
        if (topics.containsKey(r.name())) {
            return new ApplyOutcome.Refused(Error.TOPIC_ALREADY_EXISTS, "Topic '" + r.name() + "' already exists.",
                    false);
        }
        if (topicsById.containsKey(r.topicId())) {
            return ApplyOutcome.Refused.conflict("Topic id " + r.topicId() + " is already taken");
        }
        putTopic(new TopicImage(r.name(), r.topicId(), List.of()));
        createdTopics.add(r.topicId());
        return null;
    }

    private ApplyOutcome.Refused partition(PartitionRecord r) {
        TopicImage topic = topicsById.get(r.topicId());
        if (topic == null) {
            return new ApplyOutcome.Refused(Error.UNKNOWN_TOPIC_ID, "No topic with id " + r.topicId(), false);
        }
        List<PartitionImage> current = pendingPartitions.containsKey(r.topicId())
                ? pendingPartitions.get(r.topicId()) : topic.partitions();
        int size = current.size();
        if (r.partition() < 0 || r.partition() > size) {
            return new ApplyOutcome.Refused(Error.INVALID_PARTITIONS, "Partition " + r.partition() + " of "
                    + topic.name() + " is not in [0, " + size + "]", false);
        }
        if (r.replicas().isEmpty() || new HashSet<>(r.replicas()).size() != r.replicas().size()) {
            return new ApplyOutcome.Refused(Error.INVALID_REPLICA_ASSIGNMENT, "Replicas " + r.replicas() + " of "
                    + topic.name() + "-" + r.partition() + " are empty or repeat a broker", false);
        }
        if (r.partition() < size && r.partitionEpoch() <= current.get(r.partition()).partitionEpoch()) {
            return ApplyOutcome.Refused.conflict("Partition " + topic.name() + "-" + r.partition()
                    + " moved past epoch " + r.partitionEpoch());
        }
        if (r.leader() != -1 && !r.replicas().contains(r.leader())) {
            return new ApplyOutcome.Refused(Error.INVALID_REPLICA_ASSIGNMENT, "Leader " + r.leader() + " of "
                    + topic.name() + "-" + r.partition() + " is not among its replicas " + r.replicas(), false);
        }
        var image = new PartitionImage(r.partition(), r.replicas(), r.isr(), r.leader(), r.leaderEpoch(),
                r.partitionEpoch(), r.addingReplicas(), r.removingReplicas());
        ArrayList<PartitionImage> partitions = pendingPartitions.computeIfAbsent(r.topicId(),
                id -> new ArrayList<>(topic.partitions()));
        if (r.partition() == size) {
            partitions.add(image);
        } else {
            partitions.set(r.partition(), image);
        }
        return null;
    }

    /** Rebuilds the {@link TopicImage} of every topic whose partitions this batch changed (at the end of the batch). */
    private void freezePartitions() {
        for (var entry : pendingPartitions.entrySet()) {
            TopicImage topic = topicsById.get(entry.getKey());
            putTopic(new TopicImage(topic.name(), topic.topicId(), List.copyOf(entry.getValue())));
        }
        pendingPartitions.clear();
    }

    private ApplyOutcome.Refused config(ConfigRecord r) {
        if (r.resource().type() == ConfigResource.Type.TOPIC && !topics.containsKey(r.resource().name())) {
            return new ApplyOutcome.Refused(Error.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + r.resource().name()
                    + "' does not exist.", false);
        }
        configs = writable(configs, base.configs());
        var values = new HashMap<>(configs.getOrDefault(r.resource(), Map.of()));
        if (r.value() == null) {
            values.remove(r.key());
        } else {
            values.put(r.key(), r.value());
        }
        if (values.isEmpty()) {
            configs.remove(r.resource());
        } else {
            configs.put(r.resource(), Map.copyOf(values));
        }
        return null;
    }

    private ApplyOutcome.Refused removeTopic(RemoveTopicRecord r) {
        TopicImage topic = topicsById.get(r.topicId());
        if (topic == null) {
            return new ApplyOutcome.Refused(Error.UNKNOWN_TOPIC_OR_PARTITION, "No topic with id " + r.topicId(),
                    false);
        }
        topics = writable(topics, base.topics());
        topicsById = writable(topicsById, base.topicsById());
        topics.remove(topic.name());
        topicsById.remove(topic.topicId());
        createdTopics.remove(topic.topicId());
        pendingPartitions.remove(topic.topicId());
        var resource = ConfigResource.topic(topic.name());
        if (configs.containsKey(resource)) {
            configs = writable(configs, base.configs());
            configs.remove(resource);
        }
        return null;
    }

    private ApplyOutcome.Refused producerIds(ProducerIdsRecord r) {
        if (r.firstProducerId() != nextProducerId) {
            return ApplyOutcome.Refused.conflict("Producer ids from " + r.firstProducerId()
                    + " are gone; the next free one is " + nextProducerId);
        }
        if (r.nextProducerId() <= r.firstProducerId()) {
            return new ApplyOutcome.Refused(Error.UNKNOWN_SERVER_ERROR, "Empty producer id range ["
                    + r.firstProducerId() + ", " + r.nextProducerId() + ")", false);
        }
        nextProducerId = r.nextProducerId();
        return null;
    }

    private ApplyOutcome.Refused acl(AclRecord r) {
        if (acls.containsKey(r.id())) {
            return ApplyOutcome.Refused.conflict("ACL id " + r.id() + " is already taken");
        }
        acls = writable(acls, base.security().acls());
        acls.put(r.id(), r.entry());
        return null;
    }

    private ApplyOutcome.Refused clientQuota(ClientQuotaRecord r) {
        if (r.value() != null && (r.value().isNaN() || r.value() < 0)) {
            return new ApplyOutcome.Refused(Error.INVALID_REQUEST, "Quota " + r.key() + " of " + r.entity()
                    + " must be a non-negative number, not " + r.value(), false);
        }
        quotas = writable(quotas, base.security().quotas());
        var values = new HashMap<>(quotas.getOrDefault(r.entity(), Map.of()));
        if (r.value() == null) {
            values.remove(r.key());
        } else {
            values.put(r.key(), r.value());
        }
        if (values.isEmpty()) {
            quotas.remove(r.entity());
        } else {
            quotas.put(r.entity(), Map.copyOf(values));
        }
        return null;
    }

    private void putTopic(TopicImage topic) {
        topics = writable(topics, base.topics());
        topicsById = writable(topicsById, base.topicsById());
        topics.put(topic.name(), topic);
        topicsById.put(topic.topicId(), topic);
    }

    /** The working map: a private copy the first time a map of the base image is written. */
    private static <K, V> Map<K, V> writable(Map<K, V> current, Map<K, V> fromBase) {
        return current == fromBase ? new HashMap<>(current) : current;
    }

    private static <K, V> Map<K, V> frozen(Map<K, V> current, Map<K, V> fromBase) {
        return current == fromBase ? current : Map.copyOf(current);
    }

    private ClusterImage build(long index) {
        return new ClusterImage(clusterId, base.controllerId(), base.controllerEpoch(),
                frozen(brokers, base.brokers()), frozen(topics, base.topics()),
                frozen(topicsById, base.topicsById()), frozen(configs, base.configs()), nextProducerId, index,
                security());
    }

    private SecurityImage security() {
        SecurityImage old = base.security();
        if (acls == old.acls() && scram == old.scram() && quotas == old.quotas()) {
            return old;
        }
        return new SecurityImage(acls, scram, quotas);
    }
}
