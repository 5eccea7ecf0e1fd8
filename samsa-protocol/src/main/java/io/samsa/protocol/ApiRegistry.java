package io.samsa.protocol;

import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this server implements: one {@link ApiHandler} per {@link ApiKeys}. The ApiVersions API is built in and
 * advertises exactly the registered handlers' version ranges (Produce from v0, KAFKA-18659).
 *
 * <p>Register everything before the server starts; lookups afterwards are lock-free.
 */
public final class ApiRegistry {

    public ApiRegistry register(ApiHandler<?> handler) { throw new UnsupportedOperationException(); }

    public Optional<ApiHandler<?>> handler(ApiKeys key) { throw new UnsupportedOperationException(); }

    /** The ApiVersions response body (without error code) listing every registered API and its range. */
    public ApiVersionsResponseData apiVersions() { throw new UnsupportedOperationException(); }
}
