package io.samsa.coordinator.txn;

/**
 * Writes the COMMIT or ABORT markers of a transaction in PrepareCommit / PrepareAbort to the leaders of its
 * partitions (WriteTxnMarkers, KIP-98) and reports when every partition has its marker. Thread-safe.
 */
public interface TxnMarkerQueue {

    /**
     * Starts writing the markers of {@code prepared}; never blocks.
     *
     * @param shard     the shard the transaction belongs to (its coordinator epoch goes into the markers; sending
     *                  stops once it is unloaded)
     * @param prepared  the transaction in PrepareCommit or PrepareAbort
     * @param onWritten called once, from any thread, when every partition acknowledged its marker (or its topic was
     *                  deleted)
     */
    void enqueue(TxnShard shard, TxnMetadata prepared, Runnable onWritten);
}
