package io.samsa.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Serves one Kafka API. One implementation per API, registered in an {@link ApiRegistry}; the registry derives the
 * ApiVersions response from the registered handlers.
 *
 * <p>{@link #handle} is called on the connection's Netty event loop: it must not block. Work that touches the disk
 * or waits goes to another executor and completes the future later. Responses are written in request order
 * whatever order the futures complete in.
 *
 * @param <Q> the generated request data class, e.g. {@code ProduceRequestData}
 */
public interface ApiHandler<Q extends ApiMessage> {

    /** The API this handler serves. */
    ApiKeys apiKey();

    /**
     * The versions served; by default the pinned kafka-clients jar's full range. Produce is advertised from v0
     * (KAFKA-18659) by the registry.
     */
    default short oldestVersion() {
        return apiKey().oldestVersion();
    }

    default short latestVersion() {
        return apiKey().latestVersion();
    }

    /**
     * Handles one decoded request.
     *
     * @return the response body ({@code *ResponseData}); a future completed with {@code null} sends no response
     *         (acks=0 produce). A future completed exceptionally is answered with the API's error response built from
     *         the exception ({@link org.apache.kafka.common.protocol.Errors#forException}).
     */
    CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request);
}
