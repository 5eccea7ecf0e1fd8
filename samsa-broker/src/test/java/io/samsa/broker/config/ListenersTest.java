package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig.Listener;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenersTest {

    private static BrokerConfig config(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.fromProperties(props);
    }

    @Test
    void anEmptyOrWildcardHostBindsAllInterfacesAndIsAdvertisedAsLocalhost() {
        BrokerConfig config = config("listeners", "PLAINTEXT://:9092,INTERNAL://0.0.0.0:9094,V6://[::]:9095",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,V6:PLAINTEXT");
        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "", 9092),
                new Listener("INTERNAL", "0.0.0.0", 9094), new Listener("V6", "::", 9095));
        assertThat(config.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092),
                new Listener("INTERNAL", "localhost", 9094), new Listener("V6", "localhost", 9095));
    }

    @Test
    void namesAreNormalisedToUpperCaseAndIpv6HostsLoseTheirBrackets() {
        BrokerConfig config = config("listeners", "plaintext://[::1]:9092");
        Listener listener = config.listeners().getFirst();
        assertThat(listener).isEqualTo(new Listener("PLAINTEXT", "::1", 9092));
        assertThat(listener).hasToString("PLAINTEXT://[::1]:9092");
    }

    @Test
    void explicitAdvertisedListenersAreKept() {
        BrokerConfig config = config("listeners", "PLAINTEXT://:9092", "advertised.listeners", "PLAINTEXT://broker1.example:19092");
        assertThat(config.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "broker1.example", 19092));
    }

    @Test
    void controllerListenersAreLeftToTheQuorum() {
        BrokerConfig config = config("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093",
                "controller.listener.names", "controller", "listener.security.protocol.map", "CONTROLLER:SSL");
        assertThat(config.listeners()).extracting(Listener::name).containsExactly("PLAINTEXT");

        assertThatThrownBy(() -> config("listeners", "CONTROLLER://:9093", "controller.listener.names", "CONTROLLER"))
                .hasMessageContaining("At least one listener must not be a controller listener");
    }

    @Test
    void duplicateNamesOrPortsAreRejectedButPortZeroMayRepeat() {
        assertThatThrownBy(() -> config("listeners", "PLAINTEXT://a:1,PLAINTEXT://b:2"))
                .hasMessage("Invalid value PLAINTEXT://a:1,PLAINTEXT://b:2 for configuration listeners: "
                        + "Each listener must have a different name");
        assertThatThrownBy(() -> config("listeners", "PLAINTEXT://a:1,OTHER://b:1",
                "listener.security.protocol.map", "OTHER:PLAINTEXT"))
                .hasMessageEndingWith("Each listener must have a different port");
        assertThat(config("listeners", "PLAINTEXT://a:0,OTHER://b:0", "listener.security.protocol.map",
                "OTHER:PLAINTEXT,PLAINTEXT:PLAINTEXT").listeners()).hasSize(2);
    }

    @Test
    void malformedListenersAreRejected() {
        assertThatThrownBy(() -> config("listeners", "PLAINTEXT://localhost")).hasMessageEndingWith("NAME://host:port");
        assertThatThrownBy(() -> config("listeners", "://localhost:9092")).hasMessageEndingWith("Listener name must not be empty");
        assertThatThrownBy(() -> config("listeners", "PLAINTEXT://h:-1")).hasMessageEndingWith("Port must be between 0 and 65535");
        assertThatThrownBy(() -> config("listeners", "")).hasMessageEndingWith("Empty list is not allowed");
        assertThatThrownBy(() -> config("listeners", "PLAINTEXT://a:1,,X://b:2")).hasMessageEndingWith("empty elements");
    }

    @Test
    void everyListenerNeedsAPlaintextSecurityProtocol() {
        assertThatThrownBy(() -> config("listeners", "INTERNAL://:9092"))
                .hasMessageContaining("No security protocol defined for listener INTERNAL");
        assertThatThrownBy(() -> config("listeners", "SSL://:9093"))
                .hasMessageContaining("Listener SSL uses security protocol SSL; Samsa supports PLAINTEXT and SASL_PLAINTEXT listeners");
        assertThatThrownBy(() -> config("listener.security.protocol.map", "PLAINTEXT:TLS"))
                .hasMessageContaining("must be NAME:PROTOCOL");
        assertThat(config("listeners", "INTERNAL://:9092", "listener.security.protocol.map", "internal:plaintext")
                .listeners()).extracting(Listener::name).containsExactly("INTERNAL");
    }

    @Test
    void advertisedListenersMustBeRoutableAndNamedInListeners() {
        assertThatThrownBy(() -> config("advertised.listeners", "PLAINTEXT://0.0.0.0:9092"))
                .hasMessageContaining("advertised.listeners cannot use the nonroutable meta-address 0.0.0.0");
        assertThatThrownBy(() -> config("advertised.listeners", "OTHER://host:9092",
                "listener.security.protocol.map", "OTHER:PLAINTEXT"))
                .hasMessageContaining("must be equal to or a subset of the ones defined in listeners");
    }
}
