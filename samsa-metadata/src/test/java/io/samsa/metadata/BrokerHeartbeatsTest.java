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
    void theDeposedControllersBrokerExpiresOneSessionAfterItWasLastHeard() {
        // Given brokers 1-3, broker 1 on the node of the previous Raft leader, last heard 1.5 s before activation
        ClusterImage image = Images.builder().brokers(1, 2, 3).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        long activation = 100 * SECOND;

        // When this controller becomes active
        sessions.activate(image, activation,
                new BrokerHeartbeats.PreviousLeader(1, activation - 1_500_000_000L));

        // Then broker 1's lease ends 9 s after it was last heard, the others' 9 s after the activation
        assertThat(sessions.expired(image, activation + 7_400_000_000L)).isEmpty();
        assertThat(sessions.expired(image, activation + 7_600_000_000L)).containsExactly(1);
        assertThat(sessions.expired(image, activation + 9 * SECOND)).containsExactly(1);
        assertThat(sessions.expired(image, activation + 9 * SECOND + 1)).containsExactly(1, 2, 3);
        // and the shortened lease does not count as heard either
        assertThat(sessions.hasLiveSession(1, image.brokers().get(1).brokerEpoch(), activation)).isFalse();
    }

    @Test
    void aDeposedControllerWhoseBrokerHeartbeatsKeepsItsSession() {
        ClusterImage image = Images.builder().brokers(1, 2).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        long activation = 100 * SECOND;
        sessions.activate(image, activation,
                new BrokerHeartbeats.PreviousLeader(1, activation - 1_500_000_000L));

        // When broker 1's next heartbeat reaches the new controller 2 s after the activation
        sessions.touch(1, image.brokers().get(1).brokerEpoch(), activation + 2 * SECOND);

        // Then its session runs from that heartbeat (broker 2, silent, from the activation)
        assertThat(sessions.expired(image, activation + 7_600_000_000L)).isEmpty();
        assertThat(sessions.expired(image, activation + 9 * SECOND + 1)).containsExactly(2);
        assertThat(sessions.expired(image, activation + 11 * SECOND)).containsExactly(2);
        assertThat(sessions.expired(image, activation + 11 * SECOND + 1)).containsExactly(1, 2);
    }

    @Test
    void aLastHeardLaterThanTheActivationIsClampedToIt() {
        ClusterImage image = Images.builder().brokers(1, 2).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        long activation = 100 * SECOND;

        sessions.activate(image, activation, new BrokerHeartbeats.PreviousLeader(1, activation + 5 * SECOND));

        assertThat(sessions.expired(image, activation + 9 * SECOND)).isEmpty();
        assertThat(sessions.expired(image, activation + 9 * SECOND + 1)).containsExactly(1, 2);
    }

    @Test
    void aPreviousLeaderWithoutAnUnfencedBrokerChangesNoLease() {
        ClusterImage image = Images.builder().brokers(1, 2).fenced(1).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        long activation = 100 * SECOND;

        sessions.activate(image, activation, new BrokerHeartbeats.PreviousLeader(1, activation - 5 * SECOND));
        sessions.activate(image, activation, new BrokerHeartbeats.PreviousLeader(7, activation - 5 * SECOND));

        assertThat(sessions.expired(image, activation + 9 * SECOND)).isEmpty();
        assertThat(sessions.expired(image, activation + 9 * SECOND + 1)).containsExactly(2);
    }

    @Test
    void clampingHoldsAcrossTheWrapOfTheNanosecondClock() {
        ClusterImage image = Images.builder().brokers(1).build();
        var sessions = new BrokerHeartbeats(9 * SECOND);
        long activation = Long.MIN_VALUE + SECOND;

        // last heard 1.5 s before an activation just past the wrap of System.nanoTime
        sessions.activate(image, activation,
                new BrokerHeartbeats.PreviousLeader(1, activation - 1_500_000_000L));

        assertThat(sessions.expired(image, activation + 7_400_000_000L)).isEmpty();
        assertThat(sessions.expired(image, activation + 7_600_000_000L)).containsExactly(1);
    }

    @Test
    void fencedBrokersDoNotExpire() {
        ClusterImage image = Images.builder().brokers(1).fenced(1).build();
        var sessions = new BrokerHeartbeats(SECOND);
        sessions.activate(image, 0);

        assertThat(sessions.expired(image, 100 * SECOND)).isEmpty();
    }
}
