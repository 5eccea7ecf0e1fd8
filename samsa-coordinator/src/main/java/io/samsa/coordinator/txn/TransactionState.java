package io.samsa.coordinator.txn;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a transactional id (KIP-98, Kafka's {@code TransactionState}), with the ids written in
 * {@code TransactionLogValue.TransactionStatus} and the names DescribeTransactions / ListTransactions report.
 * {@link #PREPARE_EPOCH_FENCE} is never written: it is the in-memory step before a fencing abort.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte id;
    private final String displayName;

    TransactionState(int id, String displayName) {
        this.id = (byte) id;
        this.displayName = displayName;
    }

    /** The byte written in the transaction log. */
    public byte id() {
        return id;
    }

    /** Kafka's name, as DescribeTransactions and ListTransactions report it (e.g. {@code "Ongoing"}). */
    public String displayName() {
        return displayName;
    }

    /** The state with this log id. @throws IllegalArgumentException for an unknown id */
    public static TransactionState fromId(byte id) {
        for (TransactionState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown transaction state id " + id);
    }

    /** The state with this name (case-sensitive, as Kafka's {@code TransactionState.fromName}), or null. */
    public static TransactionState fromName(String name) {
        for (TransactionState s : values()) {
            if (s.displayName.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The states a transition to this one may start from (Kafka's {@code validPreviousStates}). */
    public Set<TransactionState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            // Kafka 4.3: TV2 aborts a transaction to which no partition was added (EndTxn on Empty / Complete*)
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
        };
    }

    /** True while a transaction is open or its markers are being written. */
    public boolean isPending() {
        return this == ONGOING || this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** True while markers are being written. */
    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }
}
