package io.samsa.broker.handlers;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Whole-request error answers shaped exactly as Kafka's {@code AbstractRequest.getErrorResponse} shapes them for the
 * request's version (every partition of an OffsetCommit carrying the error, a JoinGroup with generation -1, ...). Used
 * for refusals made before a request reaches a coordinator, e.g. GROUP_AUTHORIZATION_FAILED.
 *
 * <p>Stateless and thread-safe. Costs one serialization round trip of the request, so it is for rare paths only.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    /**
     * Kafka's error response to {@code request} (of {@code api} at {@code version}) with {@code error} and no
     * throttle time.
     *
     * @param <T> the response data type of {@code api}
     */
    @SuppressWarnings("unchecked")
    public static <T extends ApiMessage> T of(ApiKeys api, short version, ApiMessage request, Errors error) {
        AbstractRequest parsed = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(request, version)).request;
        return (T) parsed.getErrorResponse(0, error.exception()).data();
    }
}
