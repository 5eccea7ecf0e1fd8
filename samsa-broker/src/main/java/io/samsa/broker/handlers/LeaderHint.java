package io.samsa.broker.handlers;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The current leader of a partition and its endpoint, returned with NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH
 * in Produce (v10+) and Fetch (v16+) responses so clients reroute without a Metadata round trip (KIP-951).
 *
 * @param leaderId    the leader's node id (-1 when none)
 * @param leaderEpoch its leader epoch
 * @param endpoint    the leader's endpoint on the request's listener, when it has one and is unfenced
 * @param rack        the leader's {@code broker.rack}, or null
 */
record LeaderHint(int leaderId, int leaderEpoch, Optional<BrokerRegistration.Endpoint> endpoint, String rack) {

    /** Whether a partition error tells the client its leader moved. */
    static boolean wanted(Errors error) {
        return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH;
    }

    /** The leader of {@code tp} per {@code image}, or empty when the partition is unknown. */
    static Optional<LeaderHint> of(ClusterImage image, TopicPartition tp, String listener) {
        return image.topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitions().size())
                .map(t -> {
                    PartitionImage p = t.partitions().get(tp.partition());
                    BrokerRegistration leader = p.leader() < 0 ? null : image.brokers().get(p.leader());
                    Optional<BrokerRegistration.Endpoint> ep = leader == null || leader.fenced() ? Optional.empty()
                            : Optional.ofNullable(MetadataHandler.pick(leader.endpoints(), listener));
                    return new LeaderHint(p.leader(), p.leaderEpoch(), ep, leader == null ? null : leader.rack());
                });
    }
}
