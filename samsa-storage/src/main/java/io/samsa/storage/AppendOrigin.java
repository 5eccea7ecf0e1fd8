package io.samsa.storage;

/**
 * Who appends a batch as leader (Kafka's {@code AppendOrigin}).
 *
 * <ul>
 *   <li>{@link #CLIENT}: a Produce request; control batches are refused and idempotent sequences are checked.</li>
 *   <li>{@link #COORDINATOR}: the broker's own coordinators (group and transaction coordinators, and the
 *       transaction markers of WriteTxnMarkers, KIP-98): control batches are accepted and sequence numbers are not
 *       checked; producer epochs still are.</li>
 * </ul>
 */
public enum AppendOrigin {
    CLIENT,
    COORDINATOR
}
