package io.samsa.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NewLeadershipsTest {
    final DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();
    final AtomicLong clock = new AtomicLong(1_000);
    final NewLeaderships leaderships = new NewLeaderships(purgatory, clock::get);
    static final TopicPartition NEW = new TopicPartition("new", 0);

    @AfterEach
    void close() {
        purgatory.close();
    }

    /** A parked fetch of one of the new leadership's followers answers at once; others stay parked. */
    @Test
    void aNewLeadershipAnswersItsFollowersParkedFetchesAndShortensTheirNextPollsForAWhile() {
        Parked fromFollower = new Parked(2);
        Parked fromOther = new Parked(3);
        Parked fromConsumer = new Parked(-1);
        for (Parked p : List.of(fromFollower, fromOther, fromConsumer)) {
            purgatory.watch(p, List.of(new TopicPartition("warm", 0)), 60_000);
        }

        leaderships.began(NEW, List.of(2));

        assertThat(fromFollower.isCompleted()).isTrue();
        assertThat(fromOther.isCompleted()).isFalse();
        assertThat(fromConsumer.isCompleted()).isFalse();
        assertThat(leaderships.maxWaitMs(2, 500)).isEqualTo(NewLeaderships.SHORT_WAIT_MS);
        assertThat(leaderships.maxWaitMs(3, 500)).isEqualTo(500);
        clock.addAndGet(NewLeaderships.WINDOW_MS);
        assertThat(leaderships.maxWaitMs(2, 500)).as("the window is over").isEqualTo(500);
    }

    /** Once the follower's fetch names every new leadership, its fetches park as long as they ask again. */
    @Test
    void theShortPollsEndWhenTheFollowerFetchedEveryNewLeadership() {
        TopicPartition other = new TopicPartition("new", 1);
        leaderships.began(NEW, List.of(2, 3));
        leaderships.began(other, List.of(2));

        leaderships.fetched(2, NEW);
        assertThat(leaderships.maxWaitMs(2, 500)).as("still awaits new-1").isEqualTo(NewLeaderships.SHORT_WAIT_MS);
        leaderships.fetched(2, other);
        assertThat(leaderships.maxWaitMs(2, 500)).isEqualTo(500);
        assertThat(leaderships.maxWaitMs(3, 500)).isEqualTo(NewLeaderships.SHORT_WAIT_MS);
    }

    private static final class Parked implements DelayedOperation {
        private final int replicaId;
        private boolean completed;

        Parked(int replicaId) {
            this.replicaId = replicaId;
        }

        @Override
        public boolean tryComplete() {
            return false;
        }

        @Override
        public synchronized void forceComplete() {
            completed = true;
        }

        @Override
        public synchronized boolean isCompleted() {
            return completed;
        }

        @Override
        public int replicaId() {
            return replicaId;
        }
    }
}
