package io.samsa.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open transactions, completions and their snapshot round trip (KIP-98). */
class TransactionalProducerStateTest {
    @TempDir
    Path dir;

    @Test
    void completionsReportTheLastStableOffsetAsKafkaDoes() {
        // Given P1 open at 10 and P2 open at 12
        ProducerStateManager psm = new ProducerStateManager(dir);
        psm.update(1, (short) 0, new BatchMetadata(0, 1, 10, 11, 1), true);
        psm.update(2, (short) 0, new BatchMetadata(0, 0, 12, 12, 1), true);
        psm.update(1, (short) 0, new BatchMetadata(2, 2, 13, 13, 1), true); // same transaction
        assertThat(psm.firstOngoingTxnOffset()).isEqualTo(10);

        // When P1 aborts at 14: the LSO after it is P2's first offset
        assertThat(psm.endTransaction(1, (short) 0, 4, 14, true, 2))
                .contains(new CompletedTxn(1, 10, 14, true, 12));
        assertThat(psm.firstOngoingTxnOffset()).isEqualTo(12);

        // and when P2 commits at 15, nothing else is open: marker + 1
        assertThat(psm.endTransaction(2, (short) 0, 4, 15, false, 3))
                .contains(new CompletedTxn(2, 12, 15, false, 16));
        assertThat(psm.firstOngoingTxnOffset()).isEqualTo(-1);

        // and a marker for a transaction that wrote nothing here completes nothing
        assertThat(psm.endTransaction(3, (short) 0, 4, 16, true, 4)).isEmpty();
        assertThat(psm.entry(3)).get().extracting(ProducerStateEntry::coordinatorEpoch).isEqualTo(4);
    }

    @Test
    void snapshotsKeepCoordinatorEpochsOpenTransactionsAndMarkerOnlyProducers() throws Exception {
        // Given an open transaction of P1, a completed one of P2 and P3 with only a marker
        ProducerStateManager psm = new ProducerStateManager(dir);
        psm.update(1, (short) 2, new BatchMetadata(5, 6, 20, 21, 100), true);
        psm.update(2, (short) 0, new BatchMetadata(0, 0, 22, 22, 110), true);
        psm.endTransaction(2, (short) 0, 7, 23, false, 120);
        psm.endTransaction(3, (short) 1, 8, 24, true, 130);
        psm.takeSnapshot(25);

        // When it is loaded into a fresh manager
        ProducerStateManager loaded = new ProducerStateManager(dir);
        assertThat(loaded.loadLatestSnapshot(0, 25)).contains(25L);

        // Then every field is back
        assertThat(loaded.hasOngoingTransaction(1, (short) 2)).isTrue();
        assertThat(loaded.firstOngoingTxnOffset()).isEqualTo(20);
        ProducerStateEntry p1 = loaded.entry(1).orElseThrow();
        assertThat(p1.lastSeq()).isEqualTo(6);
        assertThat(p1.currentTxnFirstOffset()).isEqualTo(20);
        ProducerStateEntry p2 = loaded.entry(2).orElseThrow();
        assertThat(p2.coordinatorEpoch()).isEqualTo(7);
        assertThat(p2.currentTxnFirstOffset()).isEqualTo(-1);
        assertThat(p2.lastTimestamp()).isEqualTo(120);
        ProducerStateEntry p3 = loaded.entry(3).orElseThrow();
        assertThat(p3.producerEpoch()).isEqualTo((short) 1);
        assertThat(p3.coordinatorEpoch()).isEqualTo(8);
        assertThat(p3.lastBatch()).isEmpty();
        assertThat(p3.lastSeq()).isEqualTo(-1);
    }
}
