package io.samsa.coordinator.runtime;

import io.samsa.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;

/** The log of a partition this broker leads, for {@link CoordinatorLoader}; the broker's replica manager. */
@FunctionalInterface
public interface CoordinatorLogReader {

    /**
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException when this broker does not lead {@code tp}
     */
    PartitionLog leaderLog(TopicPartition tp);
}
