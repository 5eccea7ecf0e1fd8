package io.samsa.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake and SaslAuthenticate when they reach the dispatcher: on a listener without SASL, or on an
 * authenticated connection whose client cannot re-authenticate (KIP-368). Answered ILLEGAL_SASL_STATE, as Kafka's
 * {@code KafkaApis.handleSaslHandshakeRequest}/{@code handleSaslAuthenticateRequest}. On SASL listeners the
 * exchange itself is {@link SaslAuthenticator}'s. Registered by {@link ApiRegistry} so that ApiVersions always
 * advertises both APIs (as Kafka does on every listener): SaslHandshake v0-1, SaslAuthenticate v0-2 (librdkafka looks
 * for SaslHandshake v0 in the range before it authenticates at all).
 */
final class IllegalSaslStateHandlers {
    /** SaslHandshake v0 (then raw tokens without Kafka headers) and v1 (then SaslAuthenticate), KIP-152. */
    static final short HANDSHAKE_OLDEST = 0;
    static final short HANDSHAKE_LATEST = 1;
    static final short AUTHENTICATE_OLDEST = 0;
    static final short AUTHENTICATE_LATEST = 2;

    private IllegalSaslStateHandlers() {
    }

    static final class Handshake implements ApiHandler<SaslHandshakeRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.SASL_HANDSHAKE;
        }

        @Override
        public short oldestVersion() {
            return HANDSHAKE_OLDEST;
        }

        @Override
        public short latestVersion() {
            return HANDSHAKE_LATEST;
        }

        @Override
        public CompletableFuture<? extends ApiMessage> handle(RequestContext context, SaslHandshakeRequestData request) {
            return CompletableFuture.completedFuture(
                    new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
    }

    static final class Authenticate implements ApiHandler<SaslAuthenticateRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.SASL_AUTHENTICATE;
        }

        @Override
        public short oldestVersion() {
            return AUTHENTICATE_OLDEST;
        }

        @Override
        public short latestVersion() {
            return AUTHENTICATE_LATEST;
        }

        @Override
        public CompletableFuture<? extends ApiMessage> handle(RequestContext context,
                                                              SaslAuthenticateRequestData request) {
            return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate request received after successful authentication"));
        }
    }
}
