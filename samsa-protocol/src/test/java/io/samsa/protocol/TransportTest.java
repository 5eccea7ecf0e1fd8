package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Which Netty transport the Kafka listeners take (ADR 0029). */
class TransportTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void linuxListenersUseTheNativeEpollTransport() {
        // the native library ships with the build (netty-transport-native-epoll, linux-x86_64): losing it from the
        // class path would silently fall back to NIO
        assertThat(Transport.chosen()).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose(null)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("epoll")).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("bogus")).as("an unknown value falls back to the default").isEqualTo(Transport.EPOLL);
    }

    @Test
    void nioCanBeForced() {
        assertThat(Transport.choose("nio")).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("NIO")).isEqualTo(Transport.NIO);
    }
}
