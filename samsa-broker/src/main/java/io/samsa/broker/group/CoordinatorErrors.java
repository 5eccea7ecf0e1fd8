package io.samsa.broker.group;

import io.samsa.broker.handlers.ErrorMapper;
import org.apache.kafka.common.protocol.Errors;

/**
 * Maps failures of the group coordinator to the error codes clients expect, in one place (Kafka's
 * {@code GroupCoordinatorService} mapping): a failed {@code __consumer_offsets} append becomes NOT_COORDINATOR or
 * COORDINATOR_NOT_AVAILABLE so that clients look the coordinator up again and retry.
 */
public final class CoordinatorErrors {
    private CoordinatorErrors() {
    }

    /** The error to send for {@code t}, a failure from validation, an append or the shard. */
    public static Errors toError(Throwable t) {
        Errors e = ErrorMapper.toError(t);
        return switch (e) {
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                 REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            // a TxnOffsetCommit whose transaction verification (KIP-890) failed on the network: retried by clients
            // without a coordinator lookup (Kafka's CoordinatorOperationExceptionHelper)
            case NETWORK_EXCEPTION -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            default -> e;
        };
    }

    /** The message to send with {@link #toError}: the exception's own for client errors, else the code's. */
    public static String message(Throwable t) {
        Errors mapped = toError(t);
        return mapped == ErrorMapper.toError(t) ? ErrorMapper.message(t) : mapped.message();
    }
}
