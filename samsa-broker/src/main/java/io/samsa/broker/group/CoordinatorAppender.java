package io.samsa.broker.group;

import io.samsa.broker.group.record.CoordinatorRecord;
import java.util.List;

/**
 * Writes records to one partition of {@code __consumer_offsets} as its leader, as one batch, durably enough that a
 * restart replays them (the log's flush settings apply). Called on the shard's serial executor.
 */
@FunctionalInterface
public interface CoordinatorAppender {

    /**
     * Appends {@code records} as one batch; returns after the batch is in the log (and the high watermark past it).
     *
     * @throws org.apache.kafka.common.errors.ApiException NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR,
     *         RECORD_LIST_TOO_LARGE, ... when nothing was appended
     */
    void append(int partition, List<CoordinatorRecord> records);
}
