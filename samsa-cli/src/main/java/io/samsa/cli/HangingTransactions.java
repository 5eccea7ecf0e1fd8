package io.samsa.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Pure: which open transactions are hanging (KIP-664). A transaction open on a partition is a candidate when its
 * producer's last write is older than the maximum transaction timeout; a candidate hangs when no coordinator knows its
 * producer id, or when the coordinator's transaction for that id does not include the partition (so no marker will
 * ever be written there).
 */
final class HangingTransactions {
    /** One partition's open transaction: the partition and the producer state that holds it open. */
    record OpenTransaction(TopicPartition partition, ProducerState producer) {
    }

    static final Comparator<OpenTransaction> ORDER = Comparator
            .comparing(OpenTransaction::partition, GroupsDescribeCommand.ORDER)
            .thenComparingLong(t -> t.producer().producerId());

    private HangingTransactions() {
    }

    /** Open transactions whose producer last wrote more than {@code maxTimeoutMs} ms before {@code nowMs}. */
    static List<OpenTransaction> candidates(Map<TopicPartition, List<ProducerState>> producers, long nowMs,
            long maxTimeoutMs) {
        List<OpenTransaction> open = new ArrayList<>();
        producers.forEach((tp, states) -> states.forEach(p -> {
            if (p.currentTransactionStartOffset().isPresent() && nowMs - p.lastTimestamp() > maxTimeoutMs) {
                open.add(new OpenTransaction(tp, p));
            }
        }));
        open.sort(ORDER);
        return open;
    }

    /**
     * The candidates that hang, given the transactional id of each known producer id and the description of each
     * known transactional id (absent: not found by the coordinator).
     */
    static List<OpenTransaction> hanging(List<OpenTransaction> candidates, Map<Long, String> transactionalIds,
            Map<String, TransactionDescription> descriptions) {
        return candidates.stream().filter(t -> {
            String id = transactionalIds.get(t.producer().producerId());
            TransactionDescription d = id == null ? null : descriptions.get(id);
            return d == null || !d.topicPartitions().contains(t.partition());
        }).sorted(ORDER).toList();
    }
}
