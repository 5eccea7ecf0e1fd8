package io.samsa.metadata;

/**
 * A controller request was refused. The broker maps {@link #error()} to the Kafka error code of the same name.
 */
public final class ControllerException extends RuntimeException {
    /** The reasons the controller refuses; names match Kafka's {@code Errors}. */
    public enum Error {
        TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, INVALID_PARTITIONS,
        INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_TOPIC_EXCEPTION, INVALID_CONFIG, INVALID_REQUEST,
        NOT_CONTROLLER, REQUEST_TIMED_OUT, UNKNOWN_SERVER_ERROR
    }

    private final Error error;

    public ControllerException(Error error, String message) {
        super(message);
        this.error = error;
    }

    public Error error() {
        return error;
    }
}
