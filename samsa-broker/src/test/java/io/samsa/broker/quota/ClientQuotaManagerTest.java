package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.entity;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.QuotaEntity;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

class ClientQuotaManagerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicReference<Map<QuotaEntity, Map<String, Double>>> quotas = new AtomicReference<>(Map.of());
    private final ClientQuotaManager manager = new ClientQuotaManager(QuotaSettings.DEFAULTS, quotas::get, clock::get);

    @Test
    void noQuotaMeansNoThrottle() {
        assertThat(manager.enabled()).isFalse();
        assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c1", 1e9, clock.get())).isZero();
    }

    @Test
    void throttleTimeIsKafkasFormula() {
        // Given producer_byte_rate=1000 for client c1
        quotas.set(Map.of(entity(null, false, "c1", true), Map.of("producer_byte_rate", 1000.0)));
        // When 20000 bytes arrive at once on a fresh sensor: the window counts as 10 s (samples - 1), rate 2000/s
        int throttle = manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c1", 20_000, clock.get());
        // Then (2000 - 1000) / 1000 * 10000 ms
        assertThat(throttle).isEqualTo(10_000);
        // and within the quota there is no throttle
        assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c2", 5_000, clock.get())).isZero();
    }

    @Test
    void steadyRateAtTheQuotaIsNotThrottledAndAboveItIs() {
        quotas.set(Map.of(entity("alice", true, null, false), Map.of("consumer_byte_rate", 1000.0)));
        for (int second = 0; second < 30; second++) {
            assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.FETCH, ALICE, "any", 900, clock.get()))
                    .as("second %d", second).isZero();
            clock.addAndGet(1000);
        }
        int throttle = 0;
        for (int second = 0; second < 30 && throttle == 0; second++) {
            throttle = manager.recordAndGetThrottleTimeMs(QuotaType.FETCH, ALICE, "other-client", 1500, clock.get());
            clock.addAndGet(1000);
        }
        assertThat(throttle).isPositive();
        assertThat(manager.rate(QuotaType.FETCH, ALICE, "x", clock.get())).as("shared by all client ids of alice").isGreaterThan(900.0);
    }

    @Test
    void requestTimeThrottleIsCappedAtOneWindow() {
        quotas.set(Map.of(entity(null, true, null, false), Map.of("request_percentage", 1.0)));
        int throttle = manager.recordAndGetThrottleTimeMs(QuotaType.REQUEST, ALICE, "c", 500, clock.get());
        assertThat(throttle).isEqualTo(1000);
    }

    @Test
    void aQuotaChangeIsSeenAtOnce() {
        quotas.set(Map.of(entity(null, false, "c1", true), Map.of("producer_byte_rate", 1_000_000.0)));
        assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c1", 20_000, clock.get())).isZero();
        // the sensor keeps its usage; a lower quota throttles the next request
        quotas.set(Map.of(entity(null, false, "c1", true), Map.of("producer_byte_rate", 1000.0)));
        assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c1", 1, clock.get())).isPositive();
        quotas.set(Map.of());
        assertThat(manager.recordAndGetThrottleTimeMs(QuotaType.PRODUCE, ALICE, "c1", 1e9, clock.get())).isZero();
    }

    @Test
    void strictMutationQuotaRefusesOnlyOnceTheBucketIsEmpty() {
        // controller_mutation_rate=1: a bucket of 11 tokens
        quotas.set(Map.of(entity(null, false, null, true), Map.of("controller_mutation_rate", 1.0)));
        assertThat(manager.recordMutation(ALICE, "c", 20, true, clock.get())).isZero();   // allowed, bucket at -9
        int refused = manager.recordMutation(ALICE, "c", 1, true, clock.get());
        assertThat(refused).isEqualTo(9_000);                                               // 9 tokens at 1/s
        clock.addAndGet(9_000);
        assertThat(manager.recordMutation(ALICE, "c", 1, true, clock.get())).isZero();
    }

    @Test
    void permissiveMutationQuotaAcceptsAndThrottles() {
        quotas.set(Map.of(entity(null, false, null, true), Map.of("controller_mutation_rate", 2.0)));
        assertThat(manager.recordMutation(ALICE, "c", 30, false, clock.get())).isEqualTo(4_000); // 22 - 30 = -8 → 4 s
        assertThat(manager.recordMutation(ALICE, "c", 2, false, clock.get())).isEqualTo(5_000);
    }

    @Test
    void fetchSizeIsCappedByTheQuotaWindow() {
        quotas.set(Map.of(entity(null, false, "c1", true), Map.of("consumer_byte_rate", 1000.0)));
        assertThat(manager.maxValueInQuotaWindow(QuotaType.FETCH, ALICE, "c1")).isEqualTo(10_000.0);
        assertThat(manager.maxValueInQuotaWindow(QuotaType.FETCH, ALICE, "c2")).isEqualTo(Double.MAX_VALUE);
    }
}
