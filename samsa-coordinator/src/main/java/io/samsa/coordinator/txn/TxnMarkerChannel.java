package io.samsa.coordinator.txn;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * Sends a WriteTxnMarkers request to a broker over its inter-broker listener; the broker provides it (its
 * inter-broker sender). Thread-safe; never blocks the caller.
 */
@FunctionalInterface
public interface TxnMarkerChannel {

    /**
     * @return the response; fails with {@link org.apache.kafka.common.errors.BrokerNotAvailableException} when the
     *         image has no live endpoint for the broker, {@link org.apache.kafka.common.errors.DisconnectException}
     *         when the connection dropped, {@link org.apache.kafka.common.errors.TimeoutException} after the request
     *         timeout. Callbacks run on the sender's thread: keep them short.
     */
    CompletableFuture<WriteTxnMarkersResponse> send(int brokerId, WriteTxnMarkersRequest.Builder request);
}
