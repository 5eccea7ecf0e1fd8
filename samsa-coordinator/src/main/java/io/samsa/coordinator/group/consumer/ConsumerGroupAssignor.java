package io.samsa.coordinator.group.consumer;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A server-side assignor of a KIP-848 consumer group (Kafka's {@code ConsumerGroupPartitionAssignor}): maps the
 * members' subscriptions onto the topics' partitions. Chosen by name through the heartbeat's {@code ServerAssignor}
 * or, by default, the first of {@code group.consumer.assignors}.
 *
 * <p>Implementations are pure functions of their input, deterministic and thread-safe. Each member receives only
 * partitions of topics it subscribes to, and every partition of a subscribed topic goes to exactly one subscriber.
 */
public interface ConsumerGroupAssignor {

    /** The name clients use in {@code group.remote.assignor} ({@code uniform}, {@code range}). */
    String name();

    /**
     * The target assignment.
     *
     * @return member id to assignment, one entry per member of {@code spec} (empty assignments included)
     */
    Map<String, Assignment> assign(Spec spec);

    /**
     * The input of one assignment.
     *
     * @param members         member id to what it subscribes to and what its previous target was
     * @param partitionCounts number of partitions of every existing topic any member subscribes to, by topic id;
     *                        subscribed topics missing here do not exist (yet) and are skipped
     */
    record Spec(Map<String, MemberSpec> members, Map<UUID, Integer> partitionCounts) {
        public Spec {
            members = Map.copyOf(members);
            partitionCounts = Map.copyOf(partitionCounts);
        }
    }

    /**
     * One member's input.
     *
     * @param topics   the ids of the topics it subscribes to (names and regex already resolved)
     * @param previous its target assignment before this one, for stickiness
     * @param rackId   its rack, or null (not used by the built-in assignors)
     */
    record MemberSpec(Set<UUID> topics, Assignment previous, String rackId) {
        public MemberSpec {
            topics = Set.copyOf(topics);
            Objects.requireNonNull(previous, "previous");
        }
    }
}
