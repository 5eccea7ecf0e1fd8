package io.samsa.metadata;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A user's salted SCRAM credential for one mechanism (Kafka's {@code UserScramCredentialRecord}, RFC 5802): never the
 * password. Immutable: the arrays are copied in and out.
 *
 * @param user       the user name (the SASL authorization id)
 * @param mechanism  kafka-clients {@code ScramMechanism.type()}: 1 = SCRAM-SHA-256, 2 = SCRAM-SHA-512
 * @param salt       the random salt
 * @param storedKey  H(ClientKey)
 * @param serverKey  HMAC(SaltedPassword, "Server Key")
 * @param iterations PBKDF2 iterations
 */
public record ScramCredentialEntry(String user, byte mechanism, byte[] salt, byte[] storedKey, byte[] serverKey,
                                   int iterations) {
    public ScramCredentialEntry {
        Objects.requireNonNull(user, "user");
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The key of this credential in {@link SecurityImage#scram()}. */
    public SecurityImage.ScramKey key() {
        return new SecurityImage.ScramKey(user, mechanism);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentialEntry other && user.equals(other.user) && mechanism == other.mechanism
                && iterations == other.iterations && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey) && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
                Arrays.hashCode(serverKey));
    }

    /** Shows the salt but not the keys. */
    @Override
    public String toString() {
        return "ScramCredentialEntry[user=" + user + ", mechanism=" + mechanism + ", iterations=" + iterations
                + ", salt=" + HexFormat.of().formatHex(salt) + "]";
    }
}
