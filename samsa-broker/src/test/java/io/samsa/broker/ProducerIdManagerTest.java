package io.samsa.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.metadata.ControllerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Producer id blocks (KIP-730) from an allocator standing in for the metadata quorum. */
class ProducerIdManagerTest {
    /** Answers each reservation with the next queued result, already completed (as a closed Raft client does). */
    private final List<CompletableFuture<Long>> answers = new ArrayList<>();
    private final List<Integer> reservations = new ArrayList<>();
    private final ProducerIdManager ids = new ProducerIdManager(7, (node, count) -> {
        reservations.add(count);
        return answers.removeFirst();
    });

    @Test
    void aReservationThatFailedAtOnceIsTriedAgainByTheNextRequest() throws Exception {
        // Given a quorum that refuses the first reservation before returning, then reserves ids 5000-5999
        answers.add(CompletableFuture.failedFuture(new ControllerException(ControllerException.Error.NOT_CONTROLLER,
                "The metadata quorum is closed")));
        answers.add(CompletableFuture.completedFuture(5000L));

        // When InitProducerId asks twice
        assertThatThrownBy(() -> ids.nextProducerId().get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ControllerException.class);

        // Then the second request reserves again and gets the block's first id, and the block serves the next ones
        assertThat(ids.nextProducerId().get(1, TimeUnit.SECONDS)).isEqualTo(5000L);
        assertThat(ids.nextProducerId().get(1, TimeUnit.SECONDS)).isEqualTo(5001L);
        assertThat(reservations).containsExactly(ProducerIdManager.BLOCK_SIZE, ProducerIdManager.BLOCK_SIZE);
    }

    @Test
    void aUsedUpBlockIsFollowedByANewOne() throws Exception {
        answers.add(CompletableFuture.completedFuture(0L));
        answers.add(CompletableFuture.completedFuture(1000L));
        for (long expected = 0; expected < ProducerIdManager.BLOCK_SIZE; expected++) {
            assertThat(ids.nextProducerId().get(1, TimeUnit.SECONDS)).isEqualTo(expected);
        }
        assertThat(ids.nextProducerId().get(1, TimeUnit.SECONDS)).isEqualTo(1000L);
        assertThat(reservations).hasSize(2);
    }
}
