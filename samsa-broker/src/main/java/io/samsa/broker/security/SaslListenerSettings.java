package io.samsa.broker.security;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import io.samsa.protocol.SaslSettings;

/** Builds a SASL listener's {@link SaslSettings} from the broker config (contract stub: the SASL work fills it). */
public final class SaslListenerSettings {
    private SaslListenerSettings() {
    }

    /**
     * The SASL settings of listener {@code listenerName} ({@code sasl.enabled.mechanisms}, JAAS configs, ...).
     *
     * @throws ConfigException for a missing or invalid key
     */
    public static SaslSettings forListener(BrokerConfig config, String listenerName) {
        throw new ConfigException("listeners", listenerName, "SASL listeners are not supported yet");
    }
}
