package io.samsa.protocol;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Client quotas at the protocol edge (KIP-13 byte rates, KIP-124 request time, KIP-219 client-side throttling).
 * Called by the dispatcher on the connection's event loop once a handler's response is ready, before it is
 * serialized; it records what the request cost its quota entity and answers how long the client must wait.
 *
 * <p>The dispatcher then takes the larger of this value and the {@code throttle_time_ms} the handler already put in
 * the response (e.g. CreateTopics' controller mutation quota), writes it into the response's
 * {@code throttle_time_ms}, and, once the response is on the wire, stops reading from the connection for that long
 * (Kafka's channel muting, KIP-219). A request without a response (acks=0 Produce) mutes the same way.
 *
 * <p>Implementations must be thread-safe and must not block (event loop); they may mutate {@code response} (a
 * throttled consumer fetch is answered empty, as Kafka does).
 */
@FunctionalInterface
public interface RequestThrottle {

    /** No quotas: never throttles. */
    RequestThrottle NONE = (context, request, requestBytes, response, handlerNanos) -> 0;

    /**
     * @param context      who sent it (principal, client id)
     * @param request      the parsed request
     * @param requestBytes the request's size on the wire, header included, size prefix excluded (Kafka's
     *                     {@code request.sizeInBytes})
     * @param response     the handler's response body, or null when none is sent
     * @param handlerNanos the time the handler spent on the event loop in {@code handle} (nanoseconds)
     * @return the throttle time in ms, 0 for none
     */
    int throttleTimeMs(RequestContext context, AbstractRequest request, int requestBytes, ApiMessage response,
                       long handlerNanos);
}
