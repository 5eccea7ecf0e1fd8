package io.samsa.broker.security;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.protocol.ListenerSecurity;

/** The {@link ListenerSecurity} of each client listener (contract stub: the TLS work fills it). */
public final class ListenerSecurities {
    private ListenerSecurities() {
    }

    /** The security of listener {@code listener} from {@code listener.security.protocol.map} and the ssl/sasl keys. */
    public static ListenerSecurity forListener(BrokerConfig config, BrokerConfig.Listener listener) {
        return ListenerSecurity.PLAINTEXT;
    }
}
