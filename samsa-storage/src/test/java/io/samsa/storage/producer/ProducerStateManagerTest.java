package io.samsa.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateManagerTest {
    @TempDir
    Path dir;

    private void append(ProducerStateManager psm, long pid, short epoch, int firstSeq, int lastSeq, long firstOffset) {
        assertThat(psm.check(pid, epoch, firstSeq, lastSeq)).isEmpty();
        psm.update(pid, epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset,
                firstOffset + Math.floorMod((long) lastSeq - firstSeq, 1L << 31), 1000));
    }

    @Test
    void detectsDuplicatesAmongLastFiveBatches() {
        ProducerStateManager psm = new ProducerStateManager(dir);
        for (int i = 0; i < 6; i++) {
            append(psm, 1, (short) 0, i * 10, i * 10 + 9, 100 + i * 10);
        }
        assertThat(psm.check(1, (short) 0, 50, 59)).contains(new BatchMetadata(50, 59, 150, 159, 1000));
        assertThat(psm.check(1, (short) 0, 10, 19)).get().extracting(BatchMetadata::firstOffset).isEqualTo(110L);
        // batch 0 fell out of the window: it is out of sequence now
        assertThatThrownBy(() -> psm.check(1, (short) 0, 0, 9)).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void enforcesSequenceAndEpochRules() {
        ProducerStateManager psm = new ProducerStateManager(dir);
        // unknown producer: any sequence is accepted
        append(psm, 7, (short) 3, 42, 44, 0);
        assertThatThrownBy(() -> psm.check(7, (short) 3, 46, 46)).isInstanceOf(OutOfOrderSequenceException.class);
        assertThatThrownBy(() -> psm.check(7, (short) 2, 45, 45)).isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> psm.check(7, (short) 4, 5, 5)).isInstanceOf(OutOfOrderSequenceException.class);
        append(psm, 7, (short) 4, 0, 0, 3);
        assertThat(psm.entry(7).orElseThrow().batches()).hasSize(1);
        // the sequence wraps from Integer.MAX_VALUE to 0
        append(psm, 8, (short) 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 10);
        append(psm, 8, (short) 0, 0, 1, 12);
    }

    @Test
    void snapshotRoundTripsInKafkaFormat() throws Exception {
        ProducerStateManager psm = new ProducerStateManager(dir);
        append(psm, 1, (short) 2, 0, 4, 0);
        append(psm, 1, (short) 2, 5, 9, 5);
        append(psm, 2, (short) 0, Integer.MAX_VALUE, 3, 10); // wrapped batch
        psm.takeSnapshot(20);
        Path file = dir.resolve("00000000000000000020.snapshot");
        assertThat(file).exists();
        assertThat(Files.size(file)).isEqualTo(10 + 2 * 46);

        ProducerStateManager loaded = new ProducerStateManager(dir);
        assertThat(loaded.loadLatestSnapshot(0, 20)).contains(20L);
        assertThat(loaded.entry(1).orElseThrow().lastBatch()).contains(new BatchMetadata(5, 9, 5, 9, 1000));
        assertThat(loaded.entry(2).orElseThrow().lastBatch().orElseThrow().firstSeq()).isEqualTo(Integer.MAX_VALUE);
        assertThat(loaded.check(1, (short) 2, 5, 9)).isPresent();
        // snapshots above the log end are dropped, corrupt ones are skipped
        assertThat(new ProducerStateManager(dir).loadLatestSnapshot(0, 19)).isEmpty();
        assertThat(file).doesNotExist();
    }
}
