package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.MockTime;
import org.junit.jupiter.api.Test;

class ThrottlerTest {
    @Test
    void sleepsTheIoBackDownToTheLimit() {
        // Given a limit of 1 MB/s on a mock clock
        MockTime time = new MockTime(0);
        Throttler throttler = new Throttler(1_000_000, time);

        // When 4 MB are reported within 400 ms
        for (int i = 0; i < 4; i++) {
            time.sleep(100);
            throttler.maybeThrottle(1_000_000);
        }

        // Then the throttler slept until 4 MB took 4 s
        assertThat(time.milliseconds()).isBetween(3_900L, 4_000L);
    }

    @Test
    void kafkasDefaultNeverSleeps() {
        MockTime time = new MockTime(0);
        Throttler throttler = new Throttler(Double.MAX_VALUE, time);
        for (int i = 0; i < 10; i++) {
            time.sleep(100);
            throttler.maybeThrottle(1L << 40);
        }
        assertThat(throttler.enabled()).isFalse();
        assertThat(time.milliseconds()).isEqualTo(1_000);
    }
}
