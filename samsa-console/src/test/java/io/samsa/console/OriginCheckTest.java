package io.samsa.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginCheckTest {
    @Test
    void loopbackNamesAreRecognisedWithOrWithoutAPort() {
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("localhost:9644"))).isTrue();
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("127.0.0.1:9644"))).isTrue();
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("[::1]:9644"))).isTrue();
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("LOCALHOST"))).isTrue();
    }

    @Test
    void otherNamesAreNot() {
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("evil.example:9644"))).isFalse();
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("127.0.0.1.evil.example"))).isFalse();
        assertThat(OriginCheck.isLoopbackName(OriginCheck.hostPart("10.0.0.1:9644"))).isFalse();
    }
}
