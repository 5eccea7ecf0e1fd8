package io.samsa.coordinator.group;

import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.runtime.CoordinatorWriter;
import io.samsa.coordinator.runtime.ManualTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * A shard on a manual clock, a same-thread executor and an in-memory log that can be told to fail. The log keeps
 * batches with their producer id and the transaction markers, in order, so that {@link #reloaded} replays it as the
 * loader replays {@code __consumer_offsets}.
 */
public final class TestShards {
    /** One entry of the in-memory log: a batch (producer id -1 when not transactional) or a marker. */
    public sealed interface Entry {
    }

    public record Batch(List<CoordinatorRecord> records, long producerId) implements Entry {
    }

    public record Marker(long producerId, short producerEpoch, TransactionResult result) implements Entry {
    }

    public final ManualTimer timer = new ManualTimer();
    /** Every record appended, in order (transactional ones too). */
    public final List<CoordinatorRecord> log = new ArrayList<>();
    public final List<Entry> entries = new ArrayList<>();
    public boolean failAppends;
    public final GroupCoordinatorShard shard;

    public TestShards(GroupConfig config) {
        shard = new GroupCoordinatorShard(0, config, new Appender(), timer, Runnable::run, Map.of());
        shard.markLoaded();
    }

    /** A fresh shard replaying this one's log, as a restarted coordinator would. */
    public TestShards reloaded() {
        TestShards copy = new TestShards(shard.config(), false);
        for (Entry e : entries) {
            switch (e) {
                case Batch b -> b.records().forEach(r -> copy.shard.replay(r, b.producerId()));
                case Marker m -> copy.shard.replayEndTransaction(m.producerId(), m.result());
            }
        }
        copy.log.addAll(log);
        copy.entries.addAll(entries);
        copy.shard.markLoaded();
        return copy;
    }

    private TestShards(GroupConfig config, boolean loaded) {
        shard = new GroupCoordinatorShard(0, config, new Appender(), timer, Runnable::run, Map.of());
    }

    private final class Appender implements CoordinatorWriter<CoordinatorRecord> {
        @Override
        public void append(int partition, List<CoordinatorRecord> records) {
            appendTransactional(partition, records, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }

        @Override
        public void appendTransactional(int partition, List<CoordinatorRecord> records, long producerId,
                                        short producerEpoch) {
            if (failAppends) {
                throw new NotLeaderOrFollowerException("not the leader (test)");
            }
            log.addAll(records);
            entries.add(new Batch(List.copyOf(records), producerId));
        }

        @Override
        public void appendMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
                                 TransactionResult result, long timeoutMs) {
            if (failAppends) {
                throw new NotLeaderOrFollowerException("not the leader (test)");
            }
            entries.add(new Marker(producerId, producerEpoch, result));
        }
    }
}
