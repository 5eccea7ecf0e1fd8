package io.samsa.broker.net;

import io.samsa.broker.config.BrokerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ChannelBuilders;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * How the broker's own client connections (replica fetchers, transaction markers, AddPartitionsToTxn verification,
 * forwarded DescribeQuorum) reach other brokers: on {@code inter.broker.listener.name}, with that listener's security
 * protocol, as Kafka's {@code BrokerBlockingSender}/{@code NodeToNodeChannelManager} do: kafka-clients'
 * {@link ChannelBuilders#clientChannelBuilder} with the broker's own {@code ssl.*} keys (the broker's key store is its
 * client certificate; {@code listener.name.<listener>.ssl.*} overrides win) and, for SASL, the mechanism
 * {@code sasl.mechanism.inter.broker.protocol} with the listener's JAAS config
 * ({@code listener.name.<listener>.<mechanism>.sasl.jaas.config}, JAAS context type SERVER).
 *
 * @param listenerName the inter-broker listener's name (upper case)
 * @param protocol     its security protocol
 * @param originals    the broker's properties as given, passed to kafka-clients' channel builder (copied)
 */
public record InterBrokerSecurity(String listenerName, SecurityProtocol protocol, Map<String, String> originals) {
    /** Kafka's {@code sasl.mechanism.inter.broker.protocol}. */
    public static final String SASL_MECHANISM_INTER_BROKER_PROTOCOL = "sasl.mechanism.inter.broker.protocol";
    private static final String DEFAULT_SASL_MECHANISM = "GSSAPI";

    public InterBrokerSecurity {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(protocol, "protocol");
        originals = Map.copyOf(originals);
    }

    /** A PLAINTEXT inter-broker listener (tests, and nodes without a broker role). */
    public static InterBrokerSecurity plaintext(String listenerName) {
        return new InterBrokerSecurity(listenerName, SecurityProtocol.PLAINTEXT, Map.of());
    }

    /** The inter-broker listener of {@code config} and its protocol. */
    public static InterBrokerSecurity from(BrokerConfig config) {
        String listener = config.interBrokerListenerName();
        if (listener == null) {
            listener = config.listeners().isEmpty() ? "PLAINTEXT" : config.listeners().getFirst().name();
        }
        SecurityProtocol protocol = config.listeners().isEmpty() ? SecurityProtocol.PLAINTEXT
                : config.securityProtocol(listener);
        return new InterBrokerSecurity(listener, protocol, config.original());
    }

    /**
     * A configured channel builder for one kafka-clients {@code Selector}; the caller owns it (the selector closes it).
     *
     * @throws org.apache.kafka.common.KafkaException if the ssl/sasl keys are unusable (e.g. an unreadable key store)
     */
    public ChannelBuilder channelBuilder(LogContext logContext) {
        ListenerName listener = ListenerName.normalised(listenerName);
        if (protocol == SecurityProtocol.PLAINTEXT) {
            PlaintextChannelBuilder plaintext = new PlaintextChannelBuilder(listener);
            plaintext.configure(Map.of());
            return plaintext;
        }
        Map<String, Object> props = new HashMap<>(originals);
        String mechanism = originals.getOrDefault(SASL_MECHANISM_INTER_BROKER_PROTOCOL, DEFAULT_SASL_MECHANISM);
        ConfigDef def = new ConfigDef().withClientSslSupport().withClientSaslSupport();
        AbstractConfig config = new AbstractConfig(def, props, false);
        return ChannelBuilders.clientChannelBuilder(protocol, JaasContext.Type.SERVER, config, listener,
                mechanism.trim(), Time.SYSTEM, logContext);
    }
}
