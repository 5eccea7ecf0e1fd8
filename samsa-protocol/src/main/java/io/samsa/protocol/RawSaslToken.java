package io.samsa.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A frame that is a bare SASL token, not a Kafka request: what a client sends after SaslHandshake v0 (Kafka's
 * {@code SaslServerAuthenticator} without {@code enableKafkaSaslAuthenticateHeaders}). {@link RequestDecoder} emits
 * these while {@link SaslAuthenticator} asks it to; the receiver owns (and releases) {@code frame}.
 */
record RawSaslToken(ByteBuf frame) {
}
