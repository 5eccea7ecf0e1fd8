package io.samsa.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** Where {@code consume} starts reading each partition. */
sealed interface StartPosition {
    /** Moves the consumer's position on {@code partitions} (which it must have assigned). */
    void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);

    /** The log start offset. */
    record Beginning() implements StartPosition {
        @Override
        public void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            consumer.seekToBeginning(partitions);
        }
    }

    /** The log end offset: only records produced from now on. */
    record End() implements StartPosition {
        @Override
        public void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            consumer.seekToEnd(partitions);
        }
    }

    /** A given offset in every partition. */
    record AtOffset(long offset) implements StartPosition {
        @Override
        public void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> consumer.seek(tp, offset));
        }
    }

    /** The first record whose timestamp is at or after {@code timestampMs} (ListOffsets by time); else the end. */
    record AtTimestamp(long timestampMs) implements StartPosition {
        @Override
        public void seek(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, timestampMs));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = found.get(tp);
                if (at == null) {
                    consumer.seekToEnd(java.util.List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            }
        }
    }
}
