package io.samsa.broker.security;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage;
import java.util.Optional;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The SCRAM credentials of the metadata image as kafka-clients' {@link ScramCredential}s, for the SASL/SCRAM server
 * ({@code ScramSaslServer} asks for one through a {@code ScramCredentialCallback}; Kafka's
 * {@code CredentialCache}). Credentials are written with AlterUserScramCredentials (KIP-554) and replicated in the
 * metadata log, so every broker sees a change once it has applied that record.
 *
 * <p>Stateless and thread-safe: each lookup reads the image it is given (a map lookup; fine on an event loop).
 */
public final class ScramCredentialStore {
    private ScramCredentialStore() {
    }

    /**
     * The credential of {@code user} for {@code mechanism} in {@code image}: salt, stored key, server key and
     * iterations; empty when the user has none for that mechanism (the SASL server then fails the exchange as
     * Kafka does for an unknown user).
     */
    public static Optional<ScramCredential> credential(ClusterImage image, String user, ScramMechanism mechanism) {
        ScramCredentialEntry entry = image.security().scram()
                .get(new SecurityImage.ScramKey(user, mechanism.type()));
        return Optional.ofNullable(entry)
                .map(e -> new ScramCredential(e.salt(), e.storedKey(), e.serverKey(), e.iterations()));
    }

    /** The same for the Admin API's mechanism ({@code UNKNOWN} has no credential). */
    public static Optional<ScramCredential> credential(ClusterImage image, String user,
                                                       org.apache.kafka.clients.admin.ScramMechanism mechanism) {
        ScramMechanism internal = ScramMechanism.forMechanismName(mechanism.mechanismName());
        return internal == null ? Optional.empty() : credential(image, user, internal);
    }
}
