package io.samsa.broker.replica;

import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The replication simulation's invariants, read from its brokers' logs and the records it acknowledged: after every
 * step, no leader's high watermark goes back within its leader epoch, the controller's leader holds every acknowledged
 * record, and every live replica's committed prefix is the leader's ({@link #check}); at the end of the drain, every
 * replica's log is the leader's ({@link #checkConverged}). A violation throws an {@link AssertionError}. The checks
 * only read: they draw nothing from the simulation's {@code Random}, and change nothing but the high watermarks they
 * remember.
 *
 * <p>Not thread-safe.
 */
final class Invariants {
    private final Map<Integer, SimNode> nodes;
    /** The simulation's acknowledged records: offset to value. */
    private final TreeMap<Long, String> acked;
    private final boolean holesAllowed;
    private final Supplier<List<SimNode>> live;
    /** The controller's leader if it is alive, else null. */
    private final Supplier<SimNode> currentLeader;
    /** Per broker while it leads: {leader epoch, highest high watermark seen in it}. */
    private final Map<Integer, long[]> leaderHighWatermarks = new HashMap<>();

    /** @param holesAllowed see {@link ReplicationSimulation.Options#holesAllowed} */
    Invariants(Map<Integer, SimNode> nodes, TreeMap<Long, String> acked, boolean holesAllowed,
            Supplier<List<SimNode>> live, Supplier<SimNode> currentLeader) {
        this.nodes = nodes;
        this.acked = acked;
        this.holesAllowed = holesAllowed;
        this.live = live;
        this.currentLeader = currentLeader;
    }

    /** A broker lost power: the high watermark it reached as leader no longer binds it. */
    void crashed(int node) {
        leaderHighWatermarks.remove(node);
    }

    /**
     * After every step: the high watermark of a leader never moves back within its leader epoch and stays within its
     * log; the controller's leader has every acknowledged offset; with {@code full}, its log holds every acknowledged
     * record at its offset and no value twice, and each live replica's log up to its own high watermark (committed)
     * is the leader's.
     */
    void check(boolean full) {
        for (SimNode n : live.get()) {
            PartitionLog log = n.log();
            assertTrue(log.highWatermark() <= log.logEndOffset(), n + ": high watermark above the log end");
            Partition p = n.partition();
            if (p.isLeader()) {
                long[] seen = leaderHighWatermarks.get(n.id);
                if (seen != null && seen[0] == p.leaderEpoch()) {
                    assertTrue(log.highWatermark() >= seen[1], n + ": the high watermark went back from " + seen[1]
                            + " within leader epoch " + seen[0]);
                }
                leaderHighWatermarks.put(n.id, new long[] {p.leaderEpoch(), log.highWatermark()});
            }
        }
        SimNode leader = currentLeader.get();
        if (leader == null) {
            return;
        }
        if (!acked.isEmpty()) {
            assertTrue(leader.log().logEndOffset() > acked.lastKey(), leader + " lacks acknowledged offset "
                    + acked.lastKey() + " (" + acked.lastEntry().getValue() + ")");
        }
        if (full) {
            List<String> leaderLog = readLog(leader);
            checkAcknowledged(leader, leaderLog);
            for (SimNode n : live.get()) {
                long hw = n.log().highWatermark();
                List<String> mine = readLog(n);
                assertTrue(mine.subList(0, (int) hw).equals(leaderLog.subList(0, (int) Math.min(hw, leaderLog.size()))),
                        n + ": the committed prefix up to " + hw + " differs from leader " + leader + "\n  mine:   "
                                + mine + "\n  leader: " + leaderLog);
            }
        }
    }

    private void checkAcknowledged(SimNode leader, List<String> entries) {
        Set<String> values = new HashSet<>();
        for (String e : entries) {
            String value = e.substring(e.indexOf(' ') + 1);
            assertTrue(values.add(value), leader + ": value " + value + " twice in the log");
        }
        acked.forEach((offset, value) -> {
            String at = offset < entries.size() ? entries.get(offset.intValue()) : "nothing";
            assertTrue(at.endsWith(" " + value), leader + ": acknowledged " + value + " at offset " + offset
                    + " is lost; the log has " + at);
        });
    }

    /** At the end: every replica's log is the leader's, offset by offset (values and leader epochs). */
    void checkConverged() {
        SimNode leader = currentLeader.get();
        List<String> leaderLog = readLog(leader);
        checkAcknowledged(leader, leaderLog);
        for (SimNode n : nodes.values()) {
            List<String> mine = readLog(n);
            assertTrue(mine.equals(leaderLog), n + " diverges from leader " + leader + "\n  mine:   " + mine
                    + "\n  leader: " + leaderLog);
        }
    }

    /**
     * The whole log as "offset e{leaderEpoch} value", one entry per offset from 0 ("offset missing" for a hole, which
     * a recovered follower may have above its high watermark until it truncates).
     */
    private List<String> readLog(SimNode n) {
        PartitionLog log = n.log();
        assertTrue(log.logStartOffset() == 0, n + ": log start offset " + log.logStartOffset());
        List<String> out = new ArrayList<>();
        long next = 0;
        while (next < log.logEndOffset()) {
            FetchDataInfo data = log.read(next, 1 << 20, log.logEndOffset(), true);
            for (RecordBatch batch : data.records().batches()) {
                for (Record r : batch) {
                    assertTrue(r.offset() == out.size() || (holesAllowed && r.offset() > out.size()),
                            n + ": offset " + r.offset() + " where " + out.size() + " was expected (a hole)");
                    while (out.size() < r.offset()) {
                        out.add(out.size() + " missing"); // a hole: compared like any other entry
                    }
                    out.add(r.offset() + " e" + batch.partitionLeaderEpoch() + " "
                            + StandardCharsets.UTF_8.decode(r.value()));
                }
                next = batch.lastOffset() + 1;
            }
        }
        return out;
    }

    static void assertTrue(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
