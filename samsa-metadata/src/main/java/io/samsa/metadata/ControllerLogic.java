package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveTopicRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The controller's decisions: validates a request against the current image and turns it into the records to
 * append. Runs on the leader, before the append; pure functions of (image, request, the ids passed in), so every
 * choice that needs randomness (topic ids) is made by the caller and lands in the records.
 *
 * <p>Validation here is the friendly, complete one (Kafka's error for each bad argument); {@link ImageApplier}
 * re-checks only what a racing commit can change. Throws {@link ControllerException} on a refused request.
 */
final class ControllerLogic {
    /** Kafka's limit on a topic name ({@code Topic.MAX_NAME_LENGTH}). */
    static final int MAX_TOPIC_NAME_LENGTH = 249;
    /** The most producer ids one request may reserve. */
    static final int MAX_PRODUCER_ID_BLOCK = 1_000_000;

    private ControllerLogic() {
    }

    /**
     * The topic a create request would make: {@code numPartitions} partitions, replicas round-robin over the
     * unfenced brokers in node id order (see {@link #place}).
     *
     * @throws ControllerException INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
     *                             INVALID_REPLICATION_FACTOR, INVALID_CONFIG
     */
    static TopicImage planTopic(ClusterImage image, String name, int numPartitions, short replicationFactor,
                                Map<String, String> configs, UUID topicId) {
        validateTopicName(name);
        if (image.topics().containsKey(name)) {
            throw new ControllerException(Error.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (numPartitions < 1) {
            throw new ControllerException(Error.INVALID_PARTITIONS, "Number of partitions must be at least 1, got "
                    + numPartitions + ".");
        }
        List<Integer> brokers = unfencedBrokers(image);
        if (replicationFactor < 1 || replicationFactor > brokers.size()) {
            throw new ControllerException(Error.INVALID_REPLICATION_FACTOR, "Replication factor: "
                    + replicationFactor + " larger than available brokers: " + brokers.size() + ".");
        }
        validateConfigs(configs);
        return new TopicImage(name, topicId, place(image, brokers, 0, numPartitions, replicationFactor));
    }

    /**
     * The topic a create request with manual replica assignments would make ({@code kafka-topics
     * --replica-assignment}, CreateTopics' {@code Assignments}): each partition's replicas as given, its ISR the given
     * replicas that are registered, unfenced and not in controlled shutdown (in the given order), its leader the first
     * of them; epochs 0. Kafka's checks and messages (KRaft {@code ReplicationControlManager.createTopic}), in request
     * order: a non-empty replica list, registered brokers, none twice, the same replica count as the partitions
     * before, at least one active replica; then partition indexes 0..n-1.
     *
     * @param assignments partition index to replica broker ids (preferred leader first), in request order
     * @throws ControllerException INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_REPLICA_ASSIGNMENT,
     *                             INVALID_CONFIG
     */
    static TopicImage planTopic(ClusterImage image, String name, Map<Integer, List<Integer>> assignments,
                                Map<String, String> configs, UUID topicId) {
        validateTopicName(name);
        if (image.topics().containsKey(name)) {
            throw new ControllerException(Error.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        var eligible = PartitionChanges.eligible(image);
        Map<Integer, PartitionImage> partitions = new HashMap<>();
        int replicationFactor = -1;
        for (Map.Entry<Integer, List<Integer>> assignment : assignments.entrySet()) {
            List<Integer> replicas = assignment.getValue();
            validateManualAssignment(image, replicas, replicationFactor);
            replicationFactor = replicas.size();
            List<Integer> isr = replicas.stream().filter(eligible::test).toList();
            if (isr.isEmpty()) {
                throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "All brokers specified in the manual "
                        + "partition assignment for partition " + assignment.getKey()
                        + " are fenced or in controlled shutdown.");
            }
            partitions.put(assignment.getKey(), new PartitionImage(assignment.getKey(), List.copyOf(replicas), isr,
                    isr.getFirst(), 0, 0));
        }
        List<PartitionImage> ordered = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            if (!partitions.containsKey(i)) {
                throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT,
                        "partitions should be a consecutive 0-based integer sequence");
            }
            ordered.add(partitions.get(i));
        }
        if (ordered.isEmpty()) {
            throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "No partition assignment was given.");
        }
        validateConfigs(configs);
        return new TopicImage(name, topicId, List.copyOf(ordered));
    }

    /** Kafka's {@code validateManualPartitionAssignment}: brokers checked in ascending id order. */
    private static void validateManualAssignment(ClusterImage image, List<Integer> replicas, int replicationFactor) {
        if (replicas.isEmpty()) {
            throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        List<Integer> sorted = replicas.stream().sorted().toList();
        Integer previous = null;
        for (Integer id : sorted) {
            if (!image.brokers().containsKey(id)) {
                throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment "
                        + "includes broker " + id + ", but no such broker is registered.");
            }
            if (id.equals(previous)) {
                throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment "
                        + "includes the broker " + previous + " more than once.");
            }
            previous = id;
        }
        if (replicationFactor != -1 && replicas.size() != replicationFactor) {
            throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment "
                    + "includes a partition with " + replicas.size() + " replica(s), but this is not consistent with "
                    + "previous partitions, which have " + replicationFactor + " replica(s).");
        }
    }

    /** The unfenced brokers' node ids, ascending. */
    private static List<Integer> unfencedBrokers(ClusterImage image) {
        return image.brokers().values().stream()
                .filter(b -> !b.fenced())
                .map(BrokerRegistration::nodeId)
                .sorted()
                .toList();
    }

    /**
     * Partitions {@code first .. first + count - 1}, leader = first replica, ISR = replicas, epochs 0. Replicas are
     * placed round-robin (Kafka's rack-aware assignment) over {@link #rackAlternated} brokers, starting at an offset
     * that moves with the number of partitions already in the cluster (so leaders spread across topics): each
     * further replica is the next broker in the list whose rack holds no replica of the partition yet, until every
     * rack holds one. Without racks (any broker lacking {@code broker.rack}) this is plain round-robin in node id
     * order.
     */
    private static List<PartitionImage> place(ClusterImage image, List<Integer> brokers, int first, int count,
                                              int replicationFactor) {
        int offset = image.topics().values().stream().mapToInt(t -> t.partitions().size()).sum();
        List<Integer> order = rackAlternated(image, brokers);
        Map<Integer, String> racks = new HashMap<>();
        for (int id : order) {
            String rack = image.brokers().get(id).rack();
            racks.put(id, rack == null ? "" : rack);
        }
        int rackCount = new HashSet<>(racks.values()).size();
        int n = order.size();
        var partitions = new ArrayList<PartitionImage>(count);
        for (int i = 0; i < count; i++) {
            var replicas = new ArrayList<Integer>(replicationFactor);
            var usedRacks = new HashSet<String>();
            int start = Math.floorMod(offset + i, n);
            for (int pass = 0; pass < 2 && replicas.size() < replicationFactor; pass++) {
                for (int k = 0; k < n && replicas.size() < replicationFactor; k++) {
                    int candidate = order.get((start + k) % n);
                    String rack = racks.get(candidate);
                    boolean rackFree = !usedRacks.contains(rack) || usedRacks.size() >= rackCount || pass == 1;
                    if (!replicas.contains(candidate) && rackFree) {
                        replicas.add(candidate);
                        usedRacks.add(rack);
                    }
                }
            }
            partitions.add(new PartitionImage(first + i, List.copyOf(replicas), List.copyOf(replicas),
                    replicas.getFirst(), 0, 0));
        }
        return List.copyOf(partitions);
    }

    /**
     * {@code brokers} ordered for placement: when every broker has a rack, racks in name order interleaved (the
     * first broker of each rack, then the second of each, ...; node ids ascending within a rack), like Kafka's
     * {@code getRackAlternatedBrokerList}; otherwise node id order.
     */
    static List<Integer> rackAlternated(ClusterImage image, List<Integer> brokers) {
        var byRack = new TreeMap<String, List<Integer>>();
        for (int id : brokers) {
            String rack = image.brokers().get(id).rack();
            if (rack == null) {
                return brokers.stream().sorted().toList();
            }
            byRack.computeIfAbsent(rack, r -> new ArrayList<>()).add(id);
        }
        byRack.values().forEach(list -> list.sort(Integer::compare));
        var order = new ArrayList<Integer>(brokers.size());
        for (int round = 0; order.size() < brokers.size(); round++) {
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    order.add(rack.get(round));
                }
            }
        }
        return order;
    }

    /**
     * The topic after growing it to {@code newTotalCount} partitions (Kafka's
     * {@code ReplicationControlManager.createPartitions}): the new partitions get as many replicas as partition 0,
     * placed round-robin like a new topic's.
     *
     * @throws ControllerException UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS (not an increase, with Kafka's
     *                             wording), INVALID_REPLICATION_FACTOR (fewer unfenced brokers than replicas)
     */
    static TopicImage planPartitions(ClusterImage image, String name, int newTotalCount) {
        TopicImage topic = image.topics().get(name);
        if (topic == null) {
            throw new ControllerException(Error.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        int current = topic.partitions().size();
        if (newTotalCount == current) {
            throw new ControllerException(Error.INVALID_PARTITIONS, "Topic already has " + current
                    + " partition(s).");
        }
        if (newTotalCount < current) {
            throw new ControllerException(Error.INVALID_PARTITIONS, "The topic " + name + " currently has "
                    + current + " partition(s); " + newTotalCount + " would not be an increase.");
        }
        int replicationFactor = topic.partitions().isEmpty() ? 1 : topic.partitions().getFirst().replicas().size();
        List<Integer> brokers = unfencedBrokers(image);
        if (replicationFactor > brokers.size()) {
            throw new ControllerException(Error.INVALID_REPLICATION_FACTOR, "Replication factor: "
                    + replicationFactor + " larger than available brokers: " + brokers.size() + ".");
        }
        var partitions = new ArrayList<>(topic.partitions());
        partitions.addAll(place(image, brokers, current, newTotalCount - current, replicationFactor));
        return new TopicImage(name, topic.topicId(), List.copyOf(partitions));
    }

    /** The PartitionRecords of the partitions {@code grown} has beyond {@code before}. */
    static List<MetadataRecord> newPartitionRecords(TopicImage grown, int before) {
        var records = new ArrayList<MetadataRecord>();
        for (PartitionImage p : grown.partitions().subList(before, grown.partitions().size())) {
            records.add(partitionRecord(grown.topicId(), p));
        }
        return records;
    }

    /**
     * One ConfigRecord per change, in order (a later change of the same key wins). Checks that each resource exists
     * (a topic) or is well formed (a broker: "" or a non-negative integer) and that each SET has a value.
     *
     * @throws ControllerException UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST, INVALID_CONFIG
     */
    static List<MetadataRecord> alterConfigs(ClusterImage image, List<ConfigChange> changes) {
        var records = new ArrayList<MetadataRecord>(changes.size());
        for (ConfigChange change : changes) {
            ConfigResource resource = change.resource();
            switch (resource.type()) {
                case TOPIC -> {
                    if (!image.topics().containsKey(resource.name())) {
                        throw new ControllerException(Error.UNKNOWN_TOPIC_OR_PARTITION, "The topic '"
                                + resource.name() + "' does not exist.");
                    }
                }
                case BROKER -> validateBrokerName(resource.name());
            }
            if (change.key().isEmpty()) {
                throw new ControllerException(Error.INVALID_CONFIG, "A config key must not be empty");
            }
            if (change.op() == ConfigChange.Op.SET && change.value() == null) {
                throw new ControllerException(Error.INVALID_REQUEST, "Null value not supported for : "
                        + change.key());
            }
            records.add(new ConfigRecord(resource, change.key(), change.value()));
        }
        return records;
    }

    /** Kafka's {@code ControllerConfigurationValidator.validateBrokerName}: "" or a non-negative integer. */
    private static void validateBrokerName(String name) {
        if (name.isEmpty()) {
            return;
        }
        int id;
        try {
            id = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new ControllerException(Error.INVALID_REQUEST, "Unable to parse broker name " + name);
        }
        if (id < 0) {
            throw new ControllerException(Error.INVALID_REQUEST, "Invalid negative broker ID.");
        }
    }

    /** The batch that creates {@code topic}: TopicRecord, one PartitionRecord per partition, one ConfigRecord per key. */
    static List<MetadataRecord> createTopicRecords(TopicImage topic, Map<String, String> configs) {
        var records = new ArrayList<MetadataRecord>(1 + topic.partitions().size() + configs.size());
        records.add(new TopicRecord(topic.name(), topic.topicId()));
        for (PartitionImage p : topic.partitions()) {
            records.add(partitionRecord(topic.topicId(), p));
        }
        new TreeMap<>(configs).forEach((key, value) ->
                records.add(new ConfigRecord(ConfigResource.topic(topic.name()), key, value)));
        return records;
    }

    /** The record that sets partition {@code p} of topic {@code topicId} to exactly {@code p}. */
    static PartitionRecord partitionRecord(UUID topicId, PartitionImage p) {
        return new PartitionRecord(topicId, p.partition(), p.replicas(), p.isr(), p.leader(), p.leaderEpoch(),
                p.partitionEpoch(), p.addingReplicas(), p.removingReplicas());
    }

    /** @throws ControllerException UNKNOWN_TOPIC_OR_PARTITION when no topic has this name */
    static RemoveTopicRecord deleteTopic(ClusterImage image, String name) {
        TopicImage topic = image.topics().get(name);
        if (topic == null) {
            throw new ControllerException(Error.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name
                    + "' does not exist.");
        }
        return new RemoveTopicRecord(topic.topicId());
    }

    /** Reserves {@code [nextProducerId, nextProducerId + count)}. */
    static ProducerIdsRecord allocateProducerIds(ClusterImage image, int brokerId, int count) {
        if (count < 1 || count > MAX_PRODUCER_ID_BLOCK) {
            throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Producer id block size " + count
                    + " is not in [1, " + MAX_PRODUCER_ID_BLOCK + "]");
        }
        long first = image.nextProducerId();
        if (first > Long.MAX_VALUE - count) {
            throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Producer ids are exhausted");
        }
        return new ProducerIdsRecord(brokerId, first, first + count);
    }

    /** Kafka's rule ({@code Topic.validate}): 1..249 characters of [a-zA-Z0-9._-], and not "." or "..". */
    static void validateTopicName(String name) {
        if (name == null || name.isEmpty()) {
            throw new ControllerException(Error.INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new ControllerException(Error.INVALID_TOPIC_EXCEPTION, "Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_TOPIC_NAME_LENGTH) {
            throw new ControllerException(Error.INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be longer "
                    + "than " + MAX_TOPIC_NAME_LENGTH + " characters, topic name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw new ControllerException(Error.INVALID_TOPIC_EXCEPTION, "Topic name \"" + name + "\" is "
                        + "illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
            }
        }
    }

    private static void validateConfigs(Map<String, String> configs) {
        configs.forEach((key, value) -> {
            if (key == null || key.isEmpty() || value == null) {
                throw new ControllerException(Error.INVALID_CONFIG, "Invalid config " + key + "=" + value);
            }
        });
    }
}
