package io.samsa.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Serves one Kafka API. One implementation per API, registered in an {@link ApiRegistry}; the registry derives the
 * ApiVersions response from the registered handlers.
 *
 * <p>{@link #handle} is called on the connection's Netty event loop: it must not block. Work that touches the disk
 * or waits goes to another executor and completes the future later, from any thread. Responses are written in
 * request order whatever order the futures complete in.
 *
 * <p>Request memory: byte fields and records in the request (e.g. {@code ProduceRequestData} records, a
 * {@code MemoryRecords} over a direct buffer) are slices of the network frame, valid until the returned future
 * completes and released right after. Copy anything kept longer (caches, purgatories, in-memory replicas), and do
 * not put request bytes in the response.
 *
 * <p>Response records: a {@code FileRecords} (or a slice of one) in a response is sent with sendfile after the
 * future completes, never copied; its {@code FileChannel} is not closed by the server but must stay open until the
 * response is written (a segment deleted in between fails the write and closes that connection).
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
     * @return the response body ({@code *ResponseData} of this API); a future completed with {@code null} sends no
     *         response (later responses still go out in order). A future completed exceptionally, or a throw from
     *         this method, is answered with the API's error response built from the exception
     *         ({@code AbstractRequest.getErrorResponse}, code from
     *         {@link org.apache.kafka.common.protocol.Errors#forException}; non-Kafka exceptions become
     *         UNKNOWN_SERVER_ERROR). Produce with acks=0 never gets a response: a value is dropped, and a failure
     *         closes the connection, as Kafka does.
     */
    CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request);
}
