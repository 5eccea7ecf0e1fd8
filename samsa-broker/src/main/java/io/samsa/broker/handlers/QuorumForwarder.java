package io.samsa.broker.handlers;

import io.samsa.broker.net.InterBrokerSecurity;
import io.samsa.broker.replica.LeaderEndpoint;
import io.samsa.metadata.BrokerRegistration;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;

/**
 * Asks the broker on the metadata quorum's leader node for its DescribeQuorum answer, so that any broker answers with
 * the leader's replication state (Kafka's brokers forward DescribeQuorum to the active controller). One connection
 * per call on the inter-broker listener, closed afterwards (an operator's call, not a hot path). Requests carry
 * client id {@link #CLIENT_ID_PREFIX}{@code <nodeId>}; a broker never forwards such a request again, so a view of
 * the leadership that differs between two nodes cannot make requests go round. Blocking: call it off the event
 * loop. Stateless.
 */
final class QuorumForwarder {
    /** Client id prefix of forwarded DescribeQuorum requests. */
    static final String CLIENT_ID_PREFIX = "samsa-describe-quorum-forward-";
    /** Connect + answer bound; the local, partial answer is used past it. */
    static final int TIMEOUT_MS = 5_000;

    private QuorumForwarder() {
    }

    /** True when the request was forwarded by another Samsa broker. */
    static boolean isForwarded(String clientId) {
        return clientId != null && clientId.startsWith(CLIENT_ID_PREFIX);
    }

    /**
     * The leader's endpoint on {@code listener}, among the endpoints it registered (none for a controller-only node
     * or an unregistered one).
     */
    static Optional<BrokerRegistration.Endpoint> endpoint(List<BrokerRegistration.Endpoint> leaderEndpoints,
                                                          String listener) {
        return leaderEndpoints.stream().filter(e -> e.listener().equalsIgnoreCase(listener)).findFirst();
    }

    /**
     * The leader's answer for {@code __cluster_metadata-0}.
     *
     * @throws IOException the leader cannot be reached in time, or it answered with an error
     */
    static DescribeQuorumResponseData describe(int localId, int leaderId, BrokerRegistration.Endpoint endpoint,
                                               InterBrokerSecurity listener) throws IOException {
        try (LeaderEndpoint connection = new LeaderEndpoint(CLIENT_ID_PREFIX + localId, localId, leaderId,
                endpoint.host(), endpoint.port(), listener, TIMEOUT_MS)) {
            DescribeQuorumResponse response = (DescribeQuorumResponse) connection.send(new DescribeQuorumRequest
                    .Builder(DescribeQuorumRequest.singletonRequest(new TopicPartition(
                            DescribeQuorumHandler.METADATA_TOPIC, 0))));
            DescribeQuorumResponseData data = response.data();
            if (data.errorCode() != Errors.NONE.code() || data.topics().size() != 1
                    || data.topics().getFirst().partitions().size() != 1
                    || data.topics().getFirst().partitions().getFirst().errorCode() != Errors.NONE.code()) {
                throw new IOException("The quorum leader " + leaderId + " answered DescribeQuorum with an error");
            }
            return data;
        }
    }
}
