package io.samsa.storage;

import static io.samsa.storage.TransactionsTest.E0;
import static io.samsa.storage.TransactionsTest.T0;
import static io.samsa.storage.TransactionsTest.txnBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer.id.expiration.ms}: idle producers leave a partition's producer state; open transactions stay. */
class ProducerExpirationTest {
    static final long EXPIRATION_MS = 60_000;
    static final long IDLE = 7_000L;
    static final long IN_TXN = 8_000L;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    LogManager manager;

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void anIdleProducerExpiresAndAProducerWithAnOpenTransactionStays() throws Exception {
        manager = LogManager.open(List.of(dir), LogConfig.defaults(), time);
        PartitionLog log = manager.getOrCreate(TransactionsTest.TP, Uuid.randomUuid(), LogConfig.defaults());
        // Given an idempotent producer and a producer with an open transaction, both last written at T0
        log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 2, IDLE, E0, 0), 0);
        log.appendAsLeader(txnBatch(IN_TXN, E0, 0, 1), 0);
        // a gap in the idle producer's sequence is refused while its state is kept
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, IDLE, E0, 7), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);

        // When less than producer.id.expiration.ms passed since their last batches, nothing expires
        time.advance(EXPIRATION_MS / 2);
        assertThat(manager.removeExpiredProducers(EXPIRATION_MS)).isZero();

        // When it has passed, the idle producer goes and the one with an open transaction stays
        time.advance(EXPIRATION_MS);
        assertThat(manager.removeExpiredProducers(EXPIRATION_MS)).isEqualTo(1);
        assertThat(log.activeProducers()).extracting(ActiveProducer::producerId).containsExactly(IN_TXN);
        assertThat(log.hasOngoingTransaction(IN_TXN, E0)).isTrue();

        // Then the expired producer's next batch is accepted as an unknown producer's (KIP-360)
        long end = log.logEndOffset();
        log.appendAsLeader(TestBatches.idempotent(Compression.NONE, time.milliseconds(), 1, IDLE, E0, 7), 0);
        assertThat(log.logEndOffset()).isEqualTo(end + 1);
    }
}
