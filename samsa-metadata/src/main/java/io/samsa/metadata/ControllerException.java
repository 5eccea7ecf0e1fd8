package io.samsa.metadata;

/**
 * A controller request was refused. The broker maps {@link #error()} to the Kafka error code of the same name.
 */
public final class ControllerException extends RuntimeException {
    /** The reasons the controller refuses; names match Kafka's {@code Errors}. */
    public enum Error {
        TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, INVALID_PARTITIONS,
        INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_TOPIC_EXCEPTION, INVALID_CONFIG, INVALID_REQUEST,
        NOT_CONTROLLER, REQUEST_TIMED_OUT, UNKNOWN_SERVER_ERROR,
        /** KIP-631: another live incarnation holds this node id. */
        DUPLICATE_BROKER_REGISTRATION,
        /** A heartbeat or AlterPartition from a broker epoch that is not the current registration's. */
        STALE_BROKER_EPOCH,
        BROKER_ID_NOT_REGISTERED,
        /** AlterPartition from a leader epoch that is not current, or from a broker that is not the leader. */
        FENCED_LEADER_EPOCH,
        /** AlterPartition against a partition epoch that moved on (KIP-497). */
        INVALID_UPDATE_VERSION,
        /** AlterPartition with an ISR member that is fenced or not a replica (KIP-841). */
        INELIGIBLE_REPLICA,
        ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE,
        NO_REASSIGNMENT_IN_PROGRESS
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
