package io.samsa.coordinator.runtime;

import io.samsa.metadata.ControllerException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Maps failures of the coordinators to the error codes clients expect, in one place (Kafka's
 * {@code GroupCoordinatorService} / {@code CoordinatorOperationExceptionHelper} mapping): a failed append to the
 * internal topic becomes NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE so that clients look the coordinator up again
 * and retry; the shard's own NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS pass through. Stateless.
 */
public final class CoordinatorErrors {
    private CoordinatorErrors() {
    }

    /** Strips {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The error to send for {@code t}, a failure from validation, an append or the shard. */
    public static Errors toError(Throwable t) {
        Errors e = plainError(t);
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
        if (mapped != plainError(t)) {
            return mapped.message();
        }
        Throwable cause = unwrap(t);
        return cause instanceof ApiException || cause instanceof ControllerException ? cause.getMessage()
                : mapped.message();
    }

    /** The error of {@code t} before the coordinator mapping (the broker's {@code ErrorMapper} rule). */
    private static Errors plainError(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ControllerException ce) {
            return Errors.valueOf(ce.error().name());
        }
        return Errors.forException(cause);
    }
}
