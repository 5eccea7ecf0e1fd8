package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void permits_are_spread_at_the_target_rate() {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(1000, clock::get, clock::addAndGet);

        for (int i = 0; i < 3001; i++) {
            limiter.acquire();
        }

        // permit 3000 is due at 3 s; the caller slept up to it (bursts below 1 ms are allowed)
        assertThat(clock.get()).isBetween(2_999_000_000L, 3_000_000_000L);
    }

    @Test
    void a_caller_that_is_behind_does_not_sleep() {
        AtomicLong clock = new AtomicLong(0);
        AtomicLong slept = new AtomicLong();
        RateLimiter limiter = new RateLimiter(10, clock::get, slept::addAndGet);

        limiter.acquire();
        clock.set(5_000_000_000L); // 5 s later: 50 permits behind
        for (int i = 0; i < 40; i++) {
            limiter.acquire();
        }

        assertThat(slept.get()).isZero();
    }

    @Test
    void unlimited_never_sleeps() {
        AtomicLong slept = new AtomicLong();
        RateLimiter limiter = new RateLimiter(-1, () -> 0, slept::addAndGet);

        for (int i = 0; i < 1000; i++) {
            limiter.acquire();
        }

        assertThat(slept.get()).isZero();
    }
}
