package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hooks deterministic simulations use on a real log: who runs the background flush of a rolled segment. */
class SimulationHooksTest {
    static final long T0 = PartitionLogTest.T0;

    @TempDir
    Path dir;
    LogManager manager;

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    /**
     * With {@link SimulationHooks#runBackgroundFlushesOn}, rolling a segment hands its fsync to the given executor and
     * nothing else: the recovery point stays put until the test runs the task, then reaches the rolled segment's end
     * (the new active segment's base offset).
     */
    @Test
    void aRolledSegmentIsFlushedOnlyWhenTheSimulationRunsTheTask() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(1024).withSegmentIndexBytes(1024);
        manager = LogManager.open(List.of(dir), config, new MockTime(T0));
        PartitionLog log = manager.getOrCreate(new TopicPartition("sim", 0), Uuid.randomUuid(), config);
        List<Runnable> queued = new ArrayList<>();
        SimulationHooks.runBackgroundFlushesOn(log, queued::add);

        while (log.segmentList().active().baseOffset() == 0) {
            log.appendAsLeader(TestBatches.withValueSize(T0, 1, 200), 0);
        }

        long rolledEnd = log.segmentList().active().baseOffset();
        assertThat(queued).as("one rolled segment, one background flush").hasSize(1);
        assertThat(log.recoveryPoint()).as("not flushed until the simulation says so").isZero();
        queued.removeFirst().run();
        assertThat(log.recoveryPoint()).isEqualTo(rolledEnd);
    }
}
