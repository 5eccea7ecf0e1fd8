package io.samsa.metadata;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions with time passed in (ns). */
class BrokerHeartbeatsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSilentBrokerExpiresAfterTheSessionTimeout() {
        ClusterImage image = Images.builder().brokers(1, 2).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        sessions.activate(image, 0);

        sessions.touch(1, image.brokers().get(1).brokerEpoch(), 8 * SECOND);

        assertThat(sessions.expired(image, 9 * SECOND)).isEmpty();
        assertThat(sessions.expired(image, 9 * SECOND + 1)).containsExactly(2);
        assertThat(sessions.expired(image, 17 * SECOND + 1)).containsExactly(1, 2);
    }

    @Test
    void onlyAHeardSessionAtTheSameEpochIsLive() {
        ClusterImage image = Images.builder().brokers(1).build();
        long epoch = image.brokers().get(1).brokerEpoch();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        sessions.activate(image, 0);

        assertThat(sessions.hasLiveSession(1, epoch, 1)).isFalse();
        sessions.touch(1, epoch, SECOND);
        assertThat(sessions.hasLiveSession(1, epoch, 10 * SECOND)).isTrue();
        assertThat(sessions.hasLiveSession(1, epoch + 1, 10 * SECOND)).isFalse();
        assertThat(sessions.hasLiveSession(1, epoch, 10 * SECOND + 1)).isFalse();
    }

    @Test
    void aNewControllerRestartsEveryLease() {
        ClusterImage image = Images.builder().brokers(1).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        sessions.activate(image, 0);

        sessions.activate(image, 100 * SECOND);

        assertThat(sessions.expired(image, 105 * SECOND)).isEmpty();
        assertThat(sessions.expired(image, 110 * SECOND)).containsExactly(1);
    }

    @Test
    void fencedBrokersDoNotExpire() {
        ClusterImage image = Images.builder().brokers(1).fenced(1).build();
        var sessions = new BrokerHeartbeats(SECOND);
        sessions.activate(image, 0);

        assertThat(sessions.expired(image, 100 * SECOND)).isEmpty();
    }
}
