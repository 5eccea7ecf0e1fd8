package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogManager;
import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.txn.AbortedTxn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's transaction handling (KIP-98, Kafka's {@code CleanedTransactionMetadata}). */
class TransactionalCompactionTest {
    static final long P1 = 11L;
    static final long P2 = 22L;
    static final short EPOCH = 0;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(LogCleanerTest.T0);
    LogManager manager;

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    int cleanUntilDone() {
        int passes = 0;
        while (manager.cleaner().cleanOnce()) {
            passes++;
            assertThat(passes).as("cleaning terminates").isLessThan(500);
        }
        return passes;
    }

    @Test
    void abortedDataGoesFirstAndItsMarkerAfterTheDeleteHorizon() throws Exception {
        // Given a committed transaction of P2 and an aborted one of P1 that wrote the same keys after it, then P1
        // commits a later one, then keyed data
        manager = LogManager.open(List.of(dir), LogCleanerTest.COMPACTED, time, CleanerConfig.defaults());
        PartitionLog log = manager.getOrCreate(LogCleanerTest.TP, Uuid.randomUuid(), LogCleanerTest.COMPACTED);
        log.appendAsLeader(txn(P2, 0, "y", "committed"), 0);
        log.appendAsLeader(txn(P1, 0, "y", "aborted"), 0);
        long abortAt = log.appendAsLeader(marker(P1, false), 0, AppendOrigin.COORDINATOR).firstOffset();
        log.appendAsLeader(marker(P2, true), 0, AppendOrigin.COORDINATOR);
        log.appendAsLeader(txn(P1, 5, "z", "later"), 0);
        log.appendAsLeader(marker(P1, true), 0, AppendOrigin.COORDINATOR);
        KeyedLog.append(log, time, 30, 20, 0);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).hasSize(1);

        // When the cleaner runs
        assertThat(cleanUntilDone()).isPositive();

        // Then the aborted records are gone, committed ones stay (the aborted values did not replace them in the
        // offset map), and the ABORT marker and its index entry stay
        assertThat(values(log)).noneMatch(v -> v.startsWith("aborted")).contains("committed-0", "committed-4",
                "later-0");
        assertThat(markers(log)).contains(abortAt);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset()))
                .extracting(AbortedTxn::producerId, AbortedTxn::lastOffset).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(P1, abortAt));

        // When it cleans again: nothing of the transaction is left, so its marker gets a delete horizon
        KeyedLog.append(log, time, 30, 20, 300);
        assertThat(cleanUntilDone()).isPositive();
        assertThat(markers(log)).contains(abortAt);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).isEmpty();

        // and once delete.retention.ms passed, a cleaning removes the marker
        time.advance(LogCleanerTest.HOUR + 1);
        KeyedLog.append(log, time, 30, 20, 600);
        assertThat(cleanUntilDone()).isPositive();
        assertThat(markers(log)).doesNotContain(abortAt);
        assertThat(values(log)).contains("committed-0", "later-0");
    }

    private MemoryRecords txn(long producerId, int sequence, String keyPrefix, String valuePrefix) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L, time.milliseconds(), producerId, EPOCH, sequence,
                true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < 5; i++) {
            builder.append(new SimpleRecord(time.milliseconds(), (keyPrefix + i).getBytes(StandardCharsets.UTF_8),
                    (valuePrefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private MemoryRecords marker(long producerId, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(time.milliseconds(), producerId, EPOCH,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0));
    }

    /** Values of the data records in the log. */
    private static List<String> values(PartitionLog log) {
        List<String> values = new ArrayList<>();
        for (LogSegment segment : log.segments()) {
            for (RecordBatch batch : segment.log().batches()) {
                if (!batch.isControlBatch()) {
                    for (Record record : batch) {
                        if (record.hasValue()) {
                            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                        }
                    }
                }
            }
        }
        return values;
    }

    /** Offsets of the non-empty ABORT/COMMIT marker batches in the log. */
    private static List<Long> markers(PartitionLog log) {
        List<Long> offsets = new ArrayList<>();
        for (LogSegment segment : log.segments()) {
            for (RecordBatch batch : segment.log().batches()) {
                if (batch.isControlBatch() && batch.iterator().hasNext()) {
                    offsets.add(batch.baseOffset());
                }
            }
        }
        return offsets;
    }
}
