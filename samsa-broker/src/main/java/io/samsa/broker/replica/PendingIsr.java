package io.samsa.broker.replica;

import io.samsa.metadata.ControllerException;
import io.samsa.metadata.IsrMember;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.IneligibleReplicaException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OperationNotAttemptedException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * An ISR change sent to the controller whose outcome is not known: {@code members} is what was sent (each member
 * with the broker epoch of its last fetch, KIP-903), {@code proposal} their ids,
 * {@code maximalIsr} what counts for the high watermark meanwhile (the larger of the committed and the proposed
 * ISR), {@code committedIsr} the ISR it was based on, at {@code leaderEpoch} / {@code partitionEpoch}. Compared
 * by identity: an answer resolves only the very change it answers. {@link #notApplied} and {@link #stale} classify
 * the controller's refusals as Kafka's {@code Partition.handleAlterPartitionError} does (KIP-497).
 *
 * <p>Thread-safe: the fields are final; the retry flag and the attempt count are atomic.
 */
final class PendingIsr {
    private final String what;
    private final List<IsrMember> members;
    private final List<Integer> proposal;
    private final List<Integer> maximalIsr;
    private final List<Integer> committedIsr;
    private final int leaderEpoch;
    private final int partitionEpoch;
    private final AtomicBoolean retryDue = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();

    PendingIsr(String what, List<IsrMember> members, List<Integer> maximalIsr, List<Integer> committedIsr,
               int leaderEpoch, int partitionEpoch) {
        this.what = what;
        this.members = members;
        this.proposal = IsrMember.ids(members);
        this.maximalIsr = maximalIsr;
        this.committedIsr = committedIsr;
        this.leaderEpoch = leaderEpoch;
        this.partitionEpoch = partitionEpoch;
    }

    String what() {
        return what;
    }

    List<Integer> proposal() {
        return proposal;
    }

    /** The proposal with each member's broker epoch as sent (KIP-903). */
    List<IsrMember> members() {
        return members;
    }

    List<Integer> maximalIsr() {
        return maximalIsr;
    }

    List<Integer> committedIsr() {
        return committedIsr;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    int partitionEpoch() {
        return partitionEpoch;
    }

    /** Set when the last attempt ended without a known outcome: the next ISR check sends it again. */
    AtomicBoolean retryDue() {
        return retryDue;
    }

    int attempts() {
        return attempts.get();
    }

    void attempt() {
        attempts.incrementAndGet();
    }

    /** The cause inside a future's {@code CompletionException} / {@code ExecutionException} wrapping. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether an AlterPartition refusal proves the change was not committed, by this or an earlier attempt:
     * INELIGIBLE_REPLICA and INVALID_REQUEST (and Kafka's OPERATION_NOT_ATTEMPTED) are judged after the leader and
     * partition epochs matched, so the partition was still at the epoch the proposal is based on, and every attempt
     * names that epoch. Kafka resets to the committed state on INELIGIBLE_REPLICA and OPERATION_NOT_ATTEMPTED only
     * ({@code handleAlterPartitionError}: "the controller is explicitly telling us 1) that the current partition
     * epoch is correct and 2) that the request was not applied").
     */
    static boolean notApplied(Throwable error) {
        if (error instanceof ControllerException e) {
            return e.error() == ControllerException.Error.INELIGIBLE_REPLICA
                    || e.error() == ControllerException.Error.INVALID_REQUEST;
        }
        return error instanceof IneligibleReplicaException || error instanceof InvalidRequestException
                || error instanceof OperationNotAttemptedException;
    }

    /**
     * Whether an AlterPartition refusal says our leader or partition epoch is stale, or the partition is gone: the
     * change was not applied by this attempt, but an earlier one may have been (that is what moved the partition
     * epoch), so the pending ISR stays until the image that moved it on is applied, as Kafka keeps it on
     * FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION and UNKNOWN_TOPIC_OR_PARTITION. Sending it again would be refused
     * again.
     */
    static boolean stale(Throwable error) {
        if (error instanceof ControllerException e) {
            return switch (e.error()) {
                case FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, UNKNOWN_TOPIC_ID, UNKNOWN_TOPIC_OR_PARTITION -> true;
                default -> false;
            };
        }
        return error instanceof FencedLeaderEpochException || error instanceof InvalidUpdateVersionException
                || error instanceof NotLeaderOrFollowerException || error instanceof UnknownTopicOrPartitionException
                || error instanceof UnknownTopicIdException;
    }
}
