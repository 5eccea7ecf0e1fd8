package io.samsa.metadata;

import java.time.Duration;

/**
 * Knobs of the quorum that {@link QuorumConfig} does not expose (tests turn them down).
 *
 * @param requestTimeout    how long a controller request may take from planning to apply before it fails with
 *                          REQUEST_TIMED_OUT (it may still commit afterwards, as in Kafka)
 * @param startTimeout      how long {@link MetadataQuorum#start} waits for a leader and the cluster id
 * @param snapshotThreshold log entries between automatic snapshots
 * @param conflictRetries   how often a batch that lost a race (broker epoch, producer id range) is re-planned
 * @param snapshotOnStop    whether closing the quorum writes a snapshot (Ratis' trigger-when-stop)
 */
record Tuning(Duration requestTimeout, Duration startTimeout, long snapshotThreshold, int conflictRetries,
              boolean snapshotOnStop) {
    static final Tuning DEFAULT = new Tuning(Duration.ofSeconds(30), Duration.ofSeconds(60), 10_000, 10, true);

    Tuning withSnapshots(long threshold, boolean onStop) {
        return new Tuning(requestTimeout, startTimeout, threshold, conflictRetries, onStop);
    }
}
