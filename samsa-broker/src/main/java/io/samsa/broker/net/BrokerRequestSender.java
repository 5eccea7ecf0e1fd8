package io.samsa.broker.net;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Sends requests from this broker to other brokers (and to itself) over their inter-broker listener
 * ({@code inter.broker.listener.name}), as Kafka's {@code NodeToNodeChannelManager} / {@code InterBrokerSendThread}:
 * the transaction coordinator's WriteTxnMarkers to partition leaders, a partition leader's AddPartitionsToTxn
 * verification (KIP-890) to a transaction coordinator.
 *
 * <p>Thread-safe; never blocks the caller: connection, API-version negotiation and I/O happen on the sender's own
 * thread. Futures complete on that thread: keep their callbacks short.
 */
public interface BrokerRequestSender extends AutoCloseable {

    /**
     * Sends {@code request} to broker {@code brokerId} at the version both sides support.
     *
     * @return the response; fails with {@link org.apache.kafka.common.errors.BrokerNotAvailableException} when the
     *         image has no live endpoint for the broker, {@link org.apache.kafka.common.errors.DisconnectException}
     *         when the connection dropped, {@link org.apache.kafka.common.errors.TimeoutException} after the
     *         request timeout, {@link org.apache.kafka.common.errors.UnsupportedVersionException} when the broker
     *         does not serve the API
     */
    <R extends AbstractResponse> CompletableFuture<R> send(int brokerId, AbstractRequest.Builder<?> request);

    @Override
    void close();
}
