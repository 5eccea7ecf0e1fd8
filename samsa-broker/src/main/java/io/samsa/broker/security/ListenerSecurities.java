package io.samsa.broker.security;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import io.samsa.protocol.ListenerSecurity;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The {@link ListenerSecurity} of each client listener, from {@code listener.security.protocol.map}: PLAINTEXT,
 * SSL (TLS from the {@code ssl.*} keys, {@link TlsContexts}), SASL_PLAINTEXT ({@link SaslListenerSettings}) or
 * SASL_SSL (both). Called once per listener at start-up. Stateless.
 */
public final class ListenerSecurities {
    private ListenerSecurities() {
    }

    /**
     * The security of listener {@code listener} from {@code listener.security.protocol.map} and the ssl/sasl keys.
     *
     * @throws ConfigException naming the key, for a missing or invalid key, file or password
     */
    public static ListenerSecurity forListener(BrokerConfig config, BrokerConfig.Listener listener) {
        String name = listener.name();
        SecurityProtocol protocol = config.securityProtocol(name);
        return switch (protocol) {
            case PLAINTEXT -> ListenerSecurity.PLAINTEXT;
            case SSL -> new ListenerSecurity(protocol, TlsContexts.server(config, name), null);
            case SASL_PLAINTEXT -> new ListenerSecurity(protocol, null, SaslListenerSettings.forListener(config, name));
            case SASL_SSL -> new ListenerSecurity(protocol, TlsContexts.server(config, name),
                    SaslListenerSettings.forListener(config, name));
        };
    }
}
