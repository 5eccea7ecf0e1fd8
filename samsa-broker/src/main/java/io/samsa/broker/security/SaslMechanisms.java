package io.samsa.broker.security;

import io.samsa.protocol.SaslSettings;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.oauthbearer.JwtValidator;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServer;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler;

/**
 * Makes the server side of each SASL exchange: kafka-clients' {@code PlainSaslServer} and
 * {@code OAuthBearerSaslServer} with Samsa's callback handlers ({@link SaslCallbacks}), and {@link ScramServer}
 * (kafka-clients' {@code ScramSaslServer} plus the librdkafka nonce, ADR 0017).
 * Built once per listener at start-up; thread-safe ({@link #create} is called on event loops and is cheap).
 */
final class SaslMechanisms implements SaslSettings.ServerFactory {
    static final String PLAIN = "PLAIN";
    static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
    static final String OAUTHBEARER = "OAUTHBEARER";
    /** The mechanisms Samsa serves. */
    static final List<String> SUPPORTED = List.of(PLAIN, SCRAM_SHA_256, SCRAM_SHA_512, OAUTHBEARER);

    private final PlainServerCallbackHandler plainUsers;
    private final ScramCredentials scram;
    private final JwtValidator jwtValidator;
    private final String subClaim;

    /**
     * @param plainJaas    the PLAIN JAAS entries ({@code user_<name>="<password>"} options), or null if PLAIN is off
     * @param scram        SCRAM credentials
     * @param jwtValidator a configured JWT validator, or null if OAUTHBEARER is off
     * @param subClaim     {@code sasl.oauthbearer.sub.claim.name}
     */
    SaslMechanisms(List<AppConfigurationEntry> plainJaas, ScramCredentials scram, JwtValidator jwtValidator,
                   String subClaim) {
        this.scram = scram;
        this.jwtValidator = jwtValidator;
        this.subClaim = subClaim;
        if (plainJaas != null) {
            plainUsers = new PlainServerCallbackHandler();
            plainUsers.configure(Map.of(), PLAIN, plainJaas);
        } else {
            plainUsers = null;
        }
    }

    @Override
    public SaslSettings.Exchange create(String mechanism, InetSocketAddress client) throws SaslException {
        switch (mechanism) {
            case PLAIN -> {
                if (plainUsers == null) {
                    break;
                }
                SaslCallbacks.NameRecording users = new SaslCallbacks.NameRecording(plainUsers);
                return new SaslSettings.Exchange(new PlainSaslServer(users), users::name, () -> null);
            }
            case SCRAM_SHA_256, SCRAM_SHA_512 -> {
                try {
                    ScramServer server = new ScramServer(mechanism, scram);
                    return new SaslSettings.Exchange(server, server::claimedName, () -> null);
                } catch (NoSuchAlgorithmException e) {
                    throw new SaslException("No " + mechanism + " in this JVM", e);
                }
            }
            case OAUTHBEARER -> {
                if (jwtValidator == null) {
                    break;
                }
                SaslCallbacks.Jwt jwt = new SaslCallbacks.Jwt(jwtValidator, subClaim);
                return new SaslSettings.Exchange(new OAuthBearerSaslServer(jwt), jwt::subject, jwt::failure);
            }
            default -> {
            }
        }
        throw new SaslException("SASL mechanism " + mechanism + " is not set up on this listener");
    }
}
