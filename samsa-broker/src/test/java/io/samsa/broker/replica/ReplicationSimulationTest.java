package io.samsa.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Deterministic simulation of the replication protocol ({@link ReplicationSimulation}): per seed, three brokers with
 * Samsa's logs and {@link Partition}s, a simulated controller, network (drops, reordering, requests handled after
 * their sender lost power), clock and power losses. Checks that no {@code acks=all} record is lost or duplicated, that
 * a leader's high watermark never moves back in its epoch, that committed prefixes agree, and that all logs end
 * identical. A failure names its seed and the last events; replay one seed with {@code -Dsim.seed=N};
 * {@code -Dsim.seeds} and {@code -Dsim.steps} widen the search.
 */
class ReplicationSimulationTest {
    static final int SEEDS = Integer.getInteger("sim.seeds", 150);
    static final int STEPS = Integer.getInteger("sim.steps", 300);
    /**
     * Seeds of the default sweep that reproduce a known, unfixed bug: skipped until it is fixed. None now. Seeds that
     * found the bugs fixed so far, each kept as a test below: 152, and 7, 62 and 75 at 1000 steps, the
     * empty-newest-epoch truncation ({@link #aFollowerWhoseNewestEpochIsEmptyFinishesTruncating}); 25 the stale
     * AlterPartition answer; 20 and 36 at 1000 steps the ISR member without a broker epoch (KIP-903).
     */
    static final Set<Long> KNOWN_BUGS = Set.of();
    // The regression seeds below replay the traces they were found in: without late requests (a seed's random choices
    // depend on the fault model), so each keeps reproducing the bug it guards.
    /**
     * {@code -Dsim.loseAlterPartitionAnswers=true} widens the fault model with the trigger of the first known bug (lost
     * AlterPartition answers); {@code -Dsim.lateRequests=false} narrows it: a crash loses all of the broker's requests
     * in flight (none is handled late, after its sender's crash).
     */
    static final ReplicationSimulation.Options OPTIONS = new ReplicationSimulation.Options(
            Boolean.getBoolean("sim.loseAlterPartitionAnswers"), true,
            !"false".equals(System.getProperty("sim.lateRequests")));

    /** Samsa's loggers, quieted during the runs: thousands of leader changes and truncations log at INFO. */
    static final Logger SAMSA = (Logger) LoggerFactory.getLogger("io.samsa");
    static Level level;

    @TempDir
    Path fallbackRoot;
    /** A memory file system when there is one: every run creates, fsyncs and recovers segments. */
    Path root;

    @BeforeAll
    static void quiet() {
        level = SAMSA.getLevel();
        SAMSA.setLevel(Level.WARN);
    }

    @AfterAll
    static void restore() {
        SAMSA.setLevel(level);
    }

    @BeforeEach
    void pickRoot() throws Exception {
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "samsa-replication-sim-") : fallbackRoot;
    }

    @AfterEach
    void deleteRoot() throws Exception {
        if (!root.equals(fallbackRoot)) {
            deleteTree(root);
        }
    }

    /**
     * The sweep: every seed keeps the invariants and converges; records were acknowledged at all, and (a sweep at
     * least the default's, late requests on) a leader refused some fetch sent by an earlier incarnation of its
     * follower, the KIP-903 path late requests exist to exercise.
     */
    @Test
    void acknowledgedRecordsSurviveCrashesLossAndReorderingAndReplicasConverge() throws Exception {
        Long only = Long.getLong("sim.seed");
        long acknowledged = 0;
        ReplicationSimulation.Stats total = new ReplicationSimulation.Stats();
        Map<Long, AssertionError> failures = new TreeMap<>();
        for (long seed = 0; seed < SEEDS || (only != null && seed <= only); seed++) {
            if (only != null ? seed != only : KNOWN_BUGS.contains(seed)) {
                continue;
            }
            try {
                acknowledged += run(seed, STEPS, OPTIONS, total);
            } catch (AssertionError e) {
                failures.put(seed, e);
            }
        }
        System.out.println("replication simulation, " + STEPS + " steps per seed: " + total);
        if (!failures.isEmpty()) {
            AssertionError first = failures.values().iterator().next();
            throw new AssertionError(failures.size() + " seeds failed: " + failures.keySet() + "\n"
                    + String.join("\n", failures.entrySet().stream()
                            .map(e -> "  seed " + e.getKey() + ": " + e.getValue().getCause()).toList())
                    + "\nfirst failure:\n" + first.getMessage(), first);
        }
        assertThat(acknowledged).as("the runs acknowledged records at all").isPositive();
        if (only == null && OPTIONS.lateRequestsAfterCrash() && SEEDS >= 150 && STEPS >= 300) {
            assertThat(total.staleFetchesRefused)
                    .as("the sweep made a leader refuse a fetch from an earlier incarnation of its follower (KIP-903)")
                    .isPositive();
        }
    }

    /**
     * Fixed bug: when the controller's answer to an ISR expansion is lost (the forwarded AlterPartition times out),
     * {@link Partition} drops the pending ISR and goes back to its last committed ISR, although the controller may
     * have committed the expansion. The high watermark then passes the added replica's log end, acks=all records are
     * acknowledged without it, and when the leader fails the controller elects that replica: acknowledged records
     * are gone. Kafka keeps the pending (maximal) ISR until new metadata arrives after such an error (its
     * {@code Partition.handleAlterPartitionError}: "we may not know in general whether the request was applied").
     * Seed 14: node3 leads with ISR [2, 3]; its expansion to [2, 3, 1] is committed (partition epoch 3) but the answer
     * is lost; the HW reaches 35 while node1 has 33; node3 loses power; node1 is elected and lacks offsets 33-34
     * (step 107). {@link Partition} now keeps the pending ISR until the outcome is known and sends it again (with
     * that fix alone the run went on to hit the empty-newest-epoch truncation bug of seed 152, also fixed).
     */
    @Test
    void aLostAlterPartitionAnswerMustNotLetTheHighWatermarkPassAReplicaTheControllerAdded() throws Exception {
        run(14, STEPS, new ReplicationSimulation.Options(true, true, false), new ReplicationSimulation.Stats());
    }

    /**
     * Regression (was a known bug, seed 152; seeds 7, 62 and 75 at 1000 steps): a follower whose newest leader epoch
     * starts at its log end (it became leader of epoch 2 at offset 75 and lost the leadership before appending) asks
     * the new leader about epoch 2; the leader answers "epoch 1, ending at 56"; the follower's largest epoch up to 1 is
     * 0, running up to 75, so {@code ReplicaFetcherResponses.onEpochEndOffset} truncates to min(75, log end 75) and asks
     * again (Kafka's intermediate truncation). {@code PartitionLog.truncateTo} used to ignore a target at the log end
     * entirely, so the epoch 2 entry stayed and the follower asked about epoch 2 forever, never rejoining the ISR. As
     * Kafka's {@code UnifiedLog.truncateTo} ("we may have a conflicting epoch entry at the end of the log from the
     * leader"), it now drops the epoch entry starting at the log end (KIP-101/279): the next OffsetsForLeaderEpoch asks
     * about epoch 0, and the leader's end for it ends the truncation.
     */
    @Test
    void aFollowerWhoseNewestEpochIsEmptyFinishesTruncating() throws Exception {
        run(152, 300, ReplicationSimulation.Options.NO_LATE_REQUESTS, new ReplicationSimulation.Stats());
    }

    /**
     * Fixed bug: a late answer to an older AlterPartition cleared the pending ISR of a newer one. {@link Partition}'s
     * completion of every proposal sets {@code pendingIsr = null}, whichever proposal is pending now; Kafka ignores an
     * answer whose proposal is no longer the pending state ("this response is out of date"). Seed 25, 1000 steps: node1
     * leads (leader epoch 7); its expansion to [1, 2, 3] of partition epoch 13 is refused (#405) but the refusal is
     * delayed; metadata moves it to partition epoch 15 and it proposes [1, 2, 3] again (#429), which the controller
     * commits (#442); then the old refusal arrives and clears the pending expansion: the maximal ISR loses node3, the
     * HW passes node3's log end (offsets 69-75 acknowledged without it), the leadership moves to node3 (#447) and
     * acknowledged offset 75 is not in its log. {@link Partition} now resolves only the very pending change an answer
     * is for.
     */
    @Test
    void aStaleAlterPartitionAnswerMustNotClearANewerPendingIsr() throws Exception {
        run(25, 1000, ReplicationSimulation.Options.NO_LATE_REQUESTS, new ReplicationSimulation.Stats());
    }

    /**
     * Fixed bug (Kafka's KIP-903, KAFKA-14139): a replica that restarted after a power loss joined the ISR through an
     * AlterPartition sent before its restart. The leader proposed [1, 2] when node2 had caught up to 96 (#609); node2
     * lost power (#610: its log came back at 79) and registered again (#614) before the controller judged the
     * proposal (#620): neither the proposal nor the controller's check carried node2's broker epoch, so [1, 2] was
     * committed with a node2 that lacked 79-95; when node2 was later elected, acknowledged offset 82 was gone. Now, as
     * Kafka's AlterPartition v3, each proposed member carries the broker epoch its fetches named, and the controller
     * refuses one that is not its registration's (INELIGIBLE_REPLICA). Seed 20, 1000 steps. With the fix in place
     * but the controller's epoch check switched off, this seed passes (observed, not explained) and seed 36 below
     * fails: that one is the reproducer that guards the check.
     */
    @Test
    void aReplicaThatRestartedMustNotJoinTheIsrThroughAProposalFromBeforeItsRestart() throws Exception {
        run(20, 1000, ReplicationSimulation.Options.NO_LATE_REQUESTS, new ReplicationSimulation.Stats());
    }

    /**
     * Fixed bug, second reproducer of KIP-903: a caught-up follower proposed into the ISR lost power and came back at
     * its last fsync; fencing it (it was outside the ISR) did not move the partition epoch, so the proposal was still
     * current and was committed, and the shorter replica was later elected. Seed 36, 1000 steps.
     */
    @Test
    void aProposalNamingAFollowersEarlierIncarnationIsRefused() throws Exception {
        run(36, 1000, ReplicationSimulation.Options.NO_LATE_REQUESTS, new ReplicationSimulation.Stats());
    }

    /**
     * Fixed bug (storage): after a follower truncation and a power loss, the log came back with a hole. node1 held
     * epoch 11 up to 275 (flushed to 268, recovery point checkpointed at 268), truncated to 244 (the segments above go
     * by an unsynced rename, the recovery-point checkpoint is not rewritten), fetched 244-253 and lost power (#888):
     * recovery trusts the stale recovery point 268, so it does not rescan, and the log reads 0-243 then 262-267 (the
     * truncated epoch 11 records are back). Here its next truncation removes them; records of the leader's epoch
     * would stay, with the hole below them. Now, as Kafka ({@code LogManager.truncateTo}), the recovery point is
     * checkpointed right after a truncation, and the partition directory is fsynced after the segment renames, so
     * recovery rescans from the truncation point. Seed 2, 1000 steps, with holes counted as failures. Since the
     * pending-ISR fixes this seed takes another path and no longer reaches the trace above (it passes without the fix
     * too): {@code TruncationPowerLossTest} in samsa-storage reproduces the bug deterministically.
     */
    @Test
    void aTruncatedFollowerRecoversFromAPowerLossWithoutAHole() throws Exception {
        run(2, 1000, new ReplicationSimulation.Options(false, false, false), new ReplicationSimulation.Stats());
    }

    /** Runs one seed; returns the records it acknowledged. */
    private long run(long seed, int steps, ReplicationSimulation.Options options, ReplicationSimulation.Stats stats)
            throws Exception {
        Path dir = root.resolve("seed-" + seed);
        try (ReplicationSimulation sim = new ReplicationSimulation(seed, dir, options, stats)) {
            sim.run(steps);
            return sim.acknowledged();
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
