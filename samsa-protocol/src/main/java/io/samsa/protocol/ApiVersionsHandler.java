package io.samsa.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * The built-in ApiVersions handler: answers from the {@link ApiRegistry}. A v3+ request whose client software
 * name/version fails Kafka's validation is answered INVALID_REQUEST, as Kafka does. Too-new versions never reach
 * this class: {@link RequestDecoder} answers them UNSUPPORTED_VERSION in v0 (KIP-511).
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {

    private final ApiRegistry registry;

    ApiVersionsHandler(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<? extends ApiMessage> handle(RequestContext context, ApiVersionsRequestData request) {
        ApiVersionsRequest parsed = new ApiVersionsRequest(request, context.apiVersion());
        if (!parsed.isValid()) {
            return CompletableFuture.completedFuture(
                    parsed.getErrorResponse(0, Errors.INVALID_REQUEST.exception()).data());
        }
        return CompletableFuture.completedFuture(registry.apiVersions());
    }
}
