package io.samsa.broker.security;

import io.samsa.metadata.ClusterImage;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.security.scram.ScramCredential;

/**
 * The salted SCRAM credential of a user for one mechanism (RFC 5802: salt, StoredKey, ServerKey, iterations), as the
 * SCRAM server needs it. Thread-safe; lookups are in-memory (called off the event loop anyway).
 */
@FunctionalInterface
public interface ScramCredentials {

    /** No SCRAM user at all: every SCRAM exchange fails. */
    ScramCredentials NONE = (user, mechanism) -> Optional.empty();

    /**
     * @param user      the SCRAM user name (the client's authentication id, already un-escaped)
     * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     */
    Optional<ScramCredential> lookup(String user, String mechanism);

    /**
     * The credentials of the current metadata image ({@code ClusterImage.security().scram()}, written by
     * AlterUserScramCredentials): a changed or deleted credential applies to the next exchange.
     */
    static ScramCredentials fromImage(Supplier<ClusterImage> image) {
        return (user, mechanism) ->
                ScramCredentialStore.credential(image.get(), user, ScramMechanism.fromMechanismName(mechanism));
    }
}
