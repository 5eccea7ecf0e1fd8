package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    @Test
    void allowsTheBudgetEachSecondThenRefillsIt() {
        AtomicLong now = new AtomicLong(10_000);
        RateLimitedLog log = new RateLimitedLog(2, now::get);

        assertThat(log.tryAcquire()).isTrue();
        assertThat(log.tryAcquire()).isTrue();
        assertThat(log.tryAcquire()).isFalse();
        now.addAndGet(999);
        assertThat(log.tryAcquire()).isFalse();
        now.addAndGet(1);
        assertThat(log.tryAcquire()).isTrue();
    }
}
