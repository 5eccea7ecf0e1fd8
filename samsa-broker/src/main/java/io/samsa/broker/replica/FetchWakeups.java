package io.samsa.broker.replica;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions one produce request appended to, whose parked fetches are woken once, after the request's last
 * append (Kafka's {@code ActionQueue}, run by {@code KafkaApis} after {@code appendRecords}). A follower parked on two
 * partitions of a request then gets both batches in one response, not one response per partition and a second
 * fetch for the rest.
 *
 * <p>Not thread-safe: one request's appends, on one thread. Use: pass it to
 * {@link ReplicaManager#appendAsLeader(TopicPartition, org.apache.kafka.common.record.internal.MemoryRecords, short,
 * long, io.samsa.storage.AppendOrigin, io.samsa.storage.txn.VerificationGuard, FetchWakeups)} for each partition,
 * then {@link ReplicaManager#wake(FetchWakeups)} once, also when an append failed.
 */
public final class FetchWakeups {
    private final List<TopicPartition> appended;

    /** @param partitions how many partitions the request appends to at most (the list's initial capacity) */
    public FetchWakeups(int partitions) {
        this.appended = new ArrayList<>(partitions);
    }

    void add(TopicPartition tp) {
        appended.add(tp);
    }

    /** The partitions appended to, in append order. */
    List<TopicPartition> appended() {
        return appended;
    }
}
