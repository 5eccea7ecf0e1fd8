package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.files.FullDiskFiles;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full disk, injected with {@link FullDiskFiles}: a failed write leaves every file as it was before it, the log
 * answers KAFKA_STORAGE_ERROR and keeps serving reads, writes resume once space returns, and no acknowledged record
 * is lost at the next start (issue 7, part 2).
 */
class FullDiskTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("full", 0);
    static final Uuid TOPIC_ID = Uuid.randomUuid();

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    final LogConfig config = LogConfig.defaults().withIndexIntervalBytes(512).withSegmentIndexBytes(4096)
            .withSegmentBytes(64 * 1024);
    final FullDiskFiles disk = new FullDiskFiles();
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    AutoCloseable installed;
    LogManager manager;

    @BeforeEach
    void install() {
        installed = StorageFiles.install(dir, disk);
        logged.start();
        ((Logger) LoggerFactory.getLogger(StorageFailures.class)).addAppender(logged);
    }

    @AfterEach
    void uninstall() throws Exception {
        ((Logger) LoggerFactory.getLogger(StorageFailures.class)).detachAppender(logged);
        if (manager != null) {
            disk.freeSpace();
            manager.close();
        }
        installed.close();
    }

    PartitionLog open() throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, TOPIC_ID, config);
    }

    /** The acknowledgement rule of the produce path: an append that returned is acknowledged. */
    static boolean acknowledged(PartitionLog log, MemoryRecords records, List<Long> acked) {
        try {
            LogAppendInfo info = log.appendAsLeader(records, 1);
            if (info.awaitFlush()) {
                log.flushedTo(info.lastOffset() + 1).join();
            }
            log.updateHighWatermark(log.logEndOffset());
            for (long o = info.firstOffset(); o <= info.lastOffset(); o++) {
                acked.add(o);
            }
            return true;
        } catch (KafkaStorageException | java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    static MemoryRecords batch() {
        return TestBatches.withValueSize(T0, 10, 1000);
    }

    long segmentFileLength(PartitionLog log) throws Exception {
        return Files.size(log.segments().getLast().file().toPath());
    }

    @Test
    void aWriteThatHitsAFullDiskLeavesTheSegmentAsItWasAndWritesResumeOnceSpaceReturns() throws Exception {
        // Given a log with some acknowledged batches
        PartitionLog log = open();
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        long lengthBefore = segmentFileLength(log);
        // When the disk fills in the middle of the next batch
        disk.fillAfter(batch().sizeInBytes() / 2);
        assertThatThrownBy(() -> log.appendAsLeader(batch(), 1)).isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining(FullDiskFiles.ENOSPC);
        assertThatThrownBy(() -> log.appendAsLeader(batch(), 1)).isInstanceOf(KafkaStorageException.class);
        // Then nothing of it stays in the file, and reads go on
        assertThat(disk.isFull()).isTrue();
        assertThat(segmentFileLength(log)).isEqualTo(lengthBefore);
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(LogManagerRecoveryTest.readAll(log)).isEqualTo(acked);
        // When space returns, writes resume right after the last complete batch
        disk.freeSpace();
        for (int i = 0; i < 3; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        assertThat(segmentFileLength(log)).isEqualTo(lengthBefore + 3L * batch().sizeInBytes());
        // Then a clean restart and a crash restart both keep every acknowledged record
        manager.close();
        assertThat(LogManagerRecoveryTest.readAll(open())).isEqualTo(acked);
        manager.crashForTesting();
        PartitionLog recovered = open();
        assertThat(LogManagerRecoveryTest.readAll(recovered)).isEqualTo(acked);
        assertThat(recovered.highWatermark()).isLessThanOrEqualTo(acked.size());
        // And the failure was logged once, with its cause, and the recovery once
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1)
                .first().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("topicPartition=full-0", "operation=append", FullDiskFiles.ENOSPC);
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.INFO).hasSize(1);
    }

    @Test
    void aRollThatFailsOnAFullDiskIsRetriedAndLosesNothing() throws Exception {
        PartitionLog log = open();
        List<Long> acked = new ArrayList<>();
        int perSegment = config.segmentBytes() / batch().sizeInBytes();
        for (int i = 0; i < perSegment; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        // When the disk is full exactly when the next batch needs a new segment (producer snapshot, files)
        for (int fill : new int[] {0, 20, 200}) {
            disk.fillAfter(fill);
            assertThatThrownBy(() -> log.appendAsLeader(batch(), 1)).isInstanceOf(KafkaStorageException.class);
            assertThat(log.logEndOffset()).isEqualTo(acked.size());
            assertThat(log.segments().getLast().size()).isIn(0, perSegment * batch().sizeInBytes());
            try (Stream<Path> files = Files.list(log.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
        disk.freeSpace();
        for (int i = 0; i < perSegment; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        assertThat(log.numberOfSegments()).isEqualTo(2);
        manager.crashForTesting();
        assertThat(LogManagerRecoveryTest.readAll(open())).isEqualTo(acked);
    }

    @Test
    void aCheckpointThatCannotBeWrittenKeepsThePreviousOneAndLeavesNoTemporaryFile() throws Exception {
        PartitionLog log = open();
        List<Long> acked = new ArrayList<>();
        assertThat(acknowledged(log, batch(), acked)).isTrue();
        log.flush();
        manager.checkpoint();
        Path checkpoint = dir.resolve(OffsetCheckpointFile.RECOVERY_POINT);
        String before = Files.readString(checkpoint);
        assertThat(acknowledged(log, batch(), acked)).isTrue();
        log.flush();
        disk.fillAfter(5);
        assertThatThrownBy(manager::checkpoint).hasMessageContaining(FullDiskFiles.ENOSPC);
        assertThat(Files.readString(checkpoint)).isEqualTo(before);
        assertThat(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp")).doesNotExist();
        disk.freeSpace();
        manager.checkpoint();
        assertThat(Files.readString(checkpoint)).isNotEqualTo(before);
    }

    @Test
    void aCloseThatCannotFlushSaysSoAndTheNextStartRecoversEveryAcknowledgedRecord() throws Exception {
        PartitionLog log = open();
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        disk.fillAfter(0);
        assertThatThrownBy(manager::close).hasMessageContaining("closing");
        assertThat(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        disk.freeSpace();
        manager = null;
        PartitionLog recovered = open();
        assertThat(LogManagerRecoveryTest.readAll(recovered)).isEqualTo(acked);
    }

    @Test
    void aPartitionThatCannotBeCreatedOnAFullDiskIsCreatedOnceSpaceReturns() throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        disk.fillAfter(10);
        assertThatThrownBy(() -> manager.getOrCreate(TP, TOPIC_ID, config)).hasMessageContaining(FullDiskFiles.ENOSPC);
        disk.freeSpace();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config);
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(acknowledged(log, batch(), acked)).isTrue();
        }
        assertThat(LogManagerRecoveryTest.readAll(log)).isEqualTo(acked);
    }
}
