package io.samsa.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's multi-process fault test: three {@code samsa server} processes (combined broker and controller), an RF=3
 * topic with {@code min.insync.replicas=2} and three partitions, two idempotent {@code acks=all} producers writing
 * sequence-numbered records while faults hit partition leaders on a seeded schedule: {@code kill -9} five times
 * (restarted each time), SIGSTOP for 10–15 s, one {@code kill -9} of the active controller, and (own method, needs
 * root for network namespaces) an iptables isolation longer than {@code replica.lag.time.max.ms}. SIGSTOP and
 * isolation hit a leader that is not the active controller (that case is the opt-in
 * {@link #noAcknowledgedRecordIsLostOrDuplicatedWhenTheControllerLeaderIsIsolated}); the other two nodes must take
 * the partition over while the fault lasts. After each fault the test waits until every node, asked alone, agrees
 * on leaders and full ISRs. Then the producers stop, every partition is read from the beginning and
 * {@link SequenceAudit} must find 0 acknowledged records lost, 0 duplicated, order per producer and partition kept,
 * and every acknowledged record in at least {@code min.insync.replicas} replicas' segment files; and no fault may
 * have got another broker fenced.
 *
 * <p>The seed is printed; {@code -Dsamsa.faults.seed=N} replays a schedule (which faults, in which order, on which
 * partition, for how long; the cluster's own choices of leaders may differ). Each method prints a table of the
 * faults (failover: time from the fault to the next acknowledged write to the partition) and the audit's counts. On
 * failure the nodes' directories (logs, {@code server.log}) are kept.
 */
class ClusterFaultsIT {
    private static final int LAG_MS = 3000;
    private static final Map<String, String> SETTINGS = Map.of(
            "broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", Integer.toString(LAG_MS),
            "min.insync.replicas", Integer.toString(FaultRun.MIN_INSYNC),
            "default.replication.factor", "3",
            "offsets.topic.replication.factor", "3",
            "unclean.leader.election.enable", "false");

    /** Kept when a test fails: each node's {@code server.log} and data are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private static long seed(String method) {
        long seed = Long.getLong("samsa.faults.seed", System.nanoTime());
        System.out.printf("%s.%s: seed %d (replay with -Dsamsa.faults.seed=%d)%n",
                ClusterFaultsIT.class.getSimpleName(), method, seed, seed);
        return seed;
    }

    @Test
    void noAcknowledgedRecordIsLostOrDuplicatedThroughKillsAPauseAndAControllerFailover() throws Exception {
        Random random = new Random(seed("processFaults"));
        List<String> schedule = new ArrayList<>(List.of("kill", "kill", "kill", "kill", "kill", "pause",
                "controller"));
        Collections.shuffle(schedule, random);
        try (ClusterProcesses cluster = ClusterProcesses.startLoopback(dir, 3, SETTINGS);
             FaultRun run = new FaultRun(cluster)) {
            for (String kind : schedule) {
                run.produceSome(random);
                switch (kind) {
                    case "kill" -> run.killLeader(random.nextInt(FaultRun.PARTITIONS));
                    case "pause" -> run.pauseLeader(run.partition(random, false),
                            Duration.ofMillis(10_000 + random.nextInt(5_001)));
                    case "controller" -> run.killController();
                    default -> throw new IllegalStateException(kind);
                }
            }
            run.drainAndAudit();
        }
    }

    @Test
    void noAcknowledgedRecordIsLostOrDuplicatedWhenALeaderIsIsolated() throws Exception {
        isolation("isolation", "smfault", "10.213.73", false);
    }

    /**
     * Isolating the node that is both the active controller and a partition leader. Off by default
     * ({@code -Dsamsa.faults.controllerIsolation=true} runs it) because it fails today: the new controller fences
     * the two healthy brokers too. A broker's heartbeats go through one Ratis client that keeps waiting on the
     * unreachable old Raft leader (3 s request timeout, then retries), and the next heartbeat is sent only when the
     * previous one completed; the new controller restarts every session when it becomes active and fences every
     * broker it has not heard from {@code broker.session.timeout.ms} (3 s) later, itself included. Fenced brokers
     * leave the ISRs: the others see NOT_ENOUGH_REPLICAS, and the isolated node's partition fails over only at about
     * the heal, or (seen once) keeps the isolated node as its only in-sync replica and has no leader until then.
     * Kafka's brokers find the new controller through the quorum at once and keep their sessions.
     */
    @Test
    @EnabledIfSystemProperty(named = "samsa.faults.controllerIsolation", matches = "true")
    void noAcknowledgedRecordIsLostOrDuplicatedWhenTheControllerLeaderIsIsolated() throws Exception {
        isolation("controllerIsolation", "smfctl", "10.213.74", true);
    }

    private void isolation(String name, String prefix, String subnet, boolean controller) throws Exception {
        NetworkNamespaces.assumeAvailable();
        Random random = new Random(seed(name));
        try (NetworkNamespaces net = NetworkNamespaces.create(prefix, subnet, 3);
             ClusterProcesses cluster = net.cluster(dir, SETTINGS)) {
            cluster.startAll();
            try (FaultRun run = new FaultRun(cluster)) {
                run.produceSome(random);
                run.isolateLeader(net, run.partition(random, controller),
                        Duration.ofMillis(LAG_MS + 6_000 + random.nextInt(3_001)));
                run.produceSome(random);
                run.drainAndAudit();
            }
        }
    }
}
