package io.samsa.protocol;

/**
 * The SASL side of a listener (contract stub: the SASL work fills it in with mechanisms, server factories,
 * {@code connections.max.reauth.ms} and {@code connection.failed.authentication.delay.ms}).
 */
public interface SaslSettings {
}
