package io.samsa.storage;

import static io.samsa.storage.TransactionsTest.E0;
import static io.samsa.storage.TransactionsTest.P1;
import static io.samsa.storage.TransactionsTest.marker;
import static io.samsa.storage.TransactionsTest.txnBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.txn.VerificationGuard;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-890 part 1 in the partition log: a client's first transactional batch carries the {@link VerificationGuard} of
 * its leader's verification, and a marker appended meanwhile makes it stale, so a verified but delayed produce request
 * cannot open a transaction that no coordinator knows (a hanging transaction).
 */
class TransactionVerificationTest {
    @TempDir
    Path dir;
    final MockTime time = new MockTime(TransactionsTest.T0);
    LogManager manager;

    PartitionLog open() throws Exception {
        manager = LogManager.open(List.of(dir), LogConfig.defaults(), time);
        return manager.getOrCreate(TransactionsTest.TP, Uuid.randomUuid(), LogConfig.defaults());
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aVerifiedBatchOpensTheTransactionAndLaterBatchesNeedNoGuard() throws Exception {
        PartitionLog log = open();
        VerificationGuard guard = log.startTransactionVerification(P1, E0);
        assertThat(guard).isNotSameAs(VerificationGuard.SENTINEL);
        // a second request of the same producer joins the verification in progress
        assertThat(log.startTransactionVerification(P1, E0)).isSameAs(guard);

        log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0, AppendOrigin.CLIENT, guard);

        assertThat(log.hasOngoingTransaction(P1, E0)).isTrue();
        assertThat(log.startTransactionVerification(P1, E0)).isSameAs(VerificationGuard.SENTINEL);
        log.appendAsLeader(txnBatch(P1, E0, 2, 1), 0, AppendOrigin.CLIENT, VerificationGuard.SENTINEL);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void aMarkerAppendedAfterTheVerificationStartedRefusesTheDelayedBatch() throws Exception {
        // Given a verification started, then the transaction aborted by its coordinator before the batch arrived
        PartitionLog log = open();
        VerificationGuard guard = log.startTransactionVerification(P1, E0);
        log.appendAsLeader(marker(P1, E0, 0, false), 0, AppendOrigin.COORDINATOR);
        long end = log.logEndOffset();

        // Then the delayed batch is refused and appends nothing: no transaction is opened here
        assertThatThrownBy(() -> log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0, AppendOrigin.CLIENT, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.hasOngoingTransaction(P1, E0)).isFalse();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset());
    }

    @Test
    void aTransactionThatEndedAfterTheCheckNeedsANewVerification() throws Exception {
        // Given a transaction open when the leader checked (no verification: SENTINEL), committed before the append
        PartitionLog log = open();
        log.appendAsLeader(txnBatch(P1, E0, 0, 1), 0, AppendOrigin.CLIENT, log.startTransactionVerification(P1, E0));
        VerificationGuard checked = log.startTransactionVerification(P1, E0);
        assertThat(checked).isSameAs(VerificationGuard.SENTINEL);
        log.appendAsLeader(marker(P1, E0, 0, true), 0, AppendOrigin.COORDINATOR);

        // Then the batch cannot open a new transaction on the strength of that check
        assertThatThrownBy(() -> log.appendAsLeader(txnBatch(P1, E0, 1, 1), 0, AppendOrigin.CLIENT, checked))
                .isInstanceOf(InvalidTxnStateException.class);
    }

    @Test
    void withoutVerificationRequiredNoGuardIsChecked() throws Exception {
        PartitionLog log = open();
        log.appendAsLeader(txnBatch(P1, E0, 0, 1), 0);
        assertThat(log.hasOngoingTransaction(P1, E0)).isTrue();
    }
}
