package io.samsa.metadata.record;

import io.samsa.metadata.AclEntry;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.QuotaEntity;
import io.samsa.metadata.ScramCredentialEntry;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One change to the cluster metadata, as appended to the Raft log. A log entry carries a batch of records that is
 * applied atomically (all or nothing); see {@link MetadataRecordCodec} for the bytes.
 *
 * <p>Everything apply needs is in the record: ids, epochs and producer id ranges are chosen on the leader before the
 * append, so applying a record never reads a clock or a random source and every replica computes the same image.
 * Records are immutable values; their list fields are copied on construction.
 */
public sealed interface MetadataRecord {

    /**
     * The cluster id, written once by the first leader of a freshly formatted log.
     *
     * @param clusterId 22-character URL-safe base64 UUID without padding (Kafka's {@code Uuid.toString()})
     */
    record ClusterIdRecord(String clusterId) implements MetadataRecord {
        public ClusterIdRecord {
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    /**
     * A broker registered (or re-registered) with a new broker epoch (KIP-631's RegisterBrokerRecord). Apply refuses
     * an epoch that does not increase.
     *
     * @param nodeId        {@code node.id}
     * @param brokerEpoch   {@link #EPOCH_AT_COMMIT} (-1): the epoch is the log index the record commits at (Kafka's
     *                      rule, so it also tells when the broker has caught up with its own registration); an
     *                      explicit epoch (snapshots, logs written before incarnation ids) is kept as is
     * @param incarnationId the broker process' random id, null in records written before KIP-631 support
     * @param endpoints     advertised listeners
     * @param rack          {@code broker.rack} or null
     * @param fenced        whether the broker may lead partitions (a new registration is fenced)
     */
    record RegisterBrokerRecord(int nodeId, long brokerEpoch, UUID incarnationId,
                                List<BrokerRegistration.Endpoint> endpoints, String rack, boolean fenced)
            implements MetadataRecord {
        /** The broker epoch becomes the record's log index. */
        public static final long EPOCH_AT_COMMIT = -1;

        public RegisterBrokerRecord {
            endpoints = List.copyOf(endpoints);
        }

        /** A record as written before incarnation ids (codec version 1). */
        public RegisterBrokerRecord(int nodeId, long brokerEpoch, List<BrokerRegistration.Endpoint> endpoints,
                                    String rack, boolean fenced) {
            this(nodeId, brokerEpoch, null, endpoints, rack, fenced);
        }
    }

    /**
     * A broker's fencing or controlled-shutdown state changed (Kafka's BrokerRegistrationChangeRecord, which also
     * covers Fence/UnfenceBrokerRecord). Apply refuses it unless {@code brokerEpoch} is the broker's current epoch,
     * so a decision about a previous incarnation never touches the new one.
     */
    record BrokerRegistrationChangeRecord(int nodeId, long brokerEpoch, boolean fenced, boolean inControlledShutdown)
            implements MetadataRecord {
    }

    /** A topic is born; its partitions follow as {@link PartitionRecord}s in the same batch. */
    record TopicRecord(String name, UUID topicId) implements MetadataRecord {
        public TopicRecord {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(topicId, "topicId");
        }
    }

    /**
     * A partition's full state (KRaft's PartitionRecord): creates partition {@code partition} (which must be the next
     * one) or replaces it, in which case {@code partitionEpoch} must increase.
     *
     * @param replicas node ids, preferred leader first
     * @param isr      in-sync replicas
     * @param leader   leader node id, -1 if none
     * @param addingReplicas   replicas being added by a reassignment (KIP-455), empty otherwise
     * @param removingReplicas replicas being removed by a reassignment, empty otherwise
     */
    record PartitionRecord(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                           int leaderEpoch, int partitionEpoch, List<Integer> addingReplicas,
                           List<Integer> removingReplicas) implements MetadataRecord {
        public PartitionRecord {
            Objects.requireNonNull(topicId, "topicId");
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
            addingReplicas = List.copyOf(addingReplicas);
            removingReplicas = List.copyOf(removingReplicas);
        }

        /** A partition with no reassignment in progress. */
        public PartitionRecord(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                               int leaderEpoch, int partitionEpoch) {
            this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
        }
    }

    /**
     * Sets ({@code value != null}) or deletes ({@code value == null}) one dynamic config key. A TOPIC resource must
     * name an existing topic.
     */
    record ConfigRecord(ConfigResource resource, String key, String value) implements MetadataRecord {
        public ConfigRecord {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Deletes a topic, its partitions and its configs. */
    record RemoveTopicRecord(UUID topicId) implements MetadataRecord {
        public RemoveTopicRecord {
            Objects.requireNonNull(topicId, "topicId");
        }
    }

    /**
     * Hands the producer ids {@code [firstProducerId, nextProducerId)} to {@code brokerId}. Apply accepts it only if
     * {@code firstProducerId} equals the image's counter (compare-and-set), so two racing allocations never overlap;
     * the counter then becomes {@code nextProducerId}. (Kafka's record carries only the next block start because its
     * controller is single-threaded; ours validates on the leader concurrently, so the record states its range.)
     *
     * @param brokerId broker the block goes to, -1 when written by a snapshot
     */
    record ProducerIdsRecord(int brokerId, long firstProducerId, long nextProducerId) implements MetadataRecord {
    }

    /** Adds an ACL (Kafka's AccessControlEntryRecord). Apply refuses an id already in use. */
    record AclRecord(UUID id, AclEntry entry) implements MetadataRecord {
        public AclRecord {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** Removes an ACL (Kafka's RemoveAccessControlEntryRecord); an id already gone is a no-op. */
    record RemoveAclRecord(UUID id) implements MetadataRecord {
        public RemoveAclRecord {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Sets a user's SCRAM credential for one mechanism (Kafka's UserScramCredentialRecord). */
    record ScramCredentialRecord(ScramCredentialEntry credential) implements MetadataRecord {
        public ScramCredentialRecord {
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** Deletes a user's SCRAM credential for one mechanism (Kafka's RemoveUserScramCredentialRecord). */
    record RemoveScramCredentialRecord(String user, byte mechanism) implements MetadataRecord {
        public RemoveScramCredentialRecord {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Sets ({@code value != null}) or removes one client quota key of an entity (Kafka's ClientQuotaRecord). */
    record ClientQuotaRecord(QuotaEntity entity, String key, Double value) implements MetadataRecord {
        public ClientQuotaRecord {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(key, "key");
        }
    }
}
