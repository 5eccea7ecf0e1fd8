package io.samsa.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link GroupCoordinator} as {@link TransactionCompletion}: markers only for partitions this broker leads. */
class TransactionCompletionTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static ClusterImage offsetsLedBy(int leader) {
        TopicImage t = new TopicImage(GroupCoordinator.TOPIC, UUID.randomUUID(),
                List.of(new PartitionImage(0, List.of(leader), List.of(leader), leader, 0, 0)));
        return new ClusterImage("c", 1, 1, Map.of(), Map.of(t.name(), t), Map.of(t.topicId(), t), Map.of(), 0, 1);
    }

    static Errors errorOf(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(5, TimeUnit.SECONDS);
            return Errors.NONE;
        } catch (java.util.concurrent.ExecutionException e) {
            return Errors.forException(e.getCause());
        }
    }

    @Test
    void markersForPartitionsLedElsewhereOrOfOtherTopicsAreRefused() throws Exception {
        ClusterImage image = offsetsLedBy(2);
        try (GroupCoordinator coordinator = new GroupCoordinator(1, GroupConfig.defaults(0), () -> image, null, null,
                (name, partitions, replication, configs) -> CompletableFuture.completedFuture(null), scheduler)) {
            TransactionCompletion completion = coordinator;

            assertThat(errorOf(completion.completeTransaction(new TopicPartition(GroupCoordinator.TOPIC, 0), 1,
                    (short) 0, 0, TransactionResult.COMMIT, 1000))).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(errorOf(completion.completeTransaction(new TopicPartition(GroupCoordinator.TOPIC, 9), 1,
                    (short) 0, 0, TransactionResult.ABORT, 1000))).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(errorOf(completion.completeTransaction(new TopicPartition("orders", 0), 1, (short) 0, 0,
                    TransactionResult.COMMIT, 1000))).isEqualTo(Errors.INVALID_REQUEST);
        }
    }
}
