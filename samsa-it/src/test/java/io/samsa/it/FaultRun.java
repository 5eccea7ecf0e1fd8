package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * One run of {@link ClusterFaultsIT} on a started {@link ClusterProcesses}: creates the RF=3 topic, starts two
 * {@link SequencedProducer}s (rate-limited by a token bucket on a scheduled executor), injects faults on partition
 * leaders (each waits for the failover and then for the cluster to heal), keeps the fault log, and ends with
 * {@link #drainAndAudit}. Not thread-safe: one owner (the test). {@link #close} stops producers, admin and scheduler.
 */
final class FaultRun implements AutoCloseable {
    static final String TOPIC = "faults";
    static final int PARTITIONS = 3;
    static final int MIN_INSYNC = 2;
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(60);
    /** Records per second, per producer. */
    private static final int RATE = 400;
    private static final Map<String, Object> PRODUCER = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
            ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);

    /**
     * A fault as injected and observed: {@code node} was the leader of {@code partition} ({@code controller}: and
     * the active controller); {@code lastedMs} is 0 for kills; {@code failoverMs} from the fault to the next
     * acknowledged write to the partition; {@code recoveredMs} from the end of the fault (restart, SIGCONT, heal) until
     * every node sees every partition with three in-sync replicas; {@code othersFenced} the other brokers the
     * active controller fenced meanwhile (the other nodes' "Fencing broker" log lines), which a fault of one node
     * should not cause.
     */
    record Fault(String kind, int node, boolean controller, int partition, long lastedMs, long failoverMs,
                 long recoveredMs, List<Integer> othersFenced) {
    }

    private final ClusterProcesses cluster;
    private final Admin admin;
    private final FailoverWatch watch = new FailoverWatch();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<SequencedProducer> producers = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    FaultRun(ClusterProcesses cluster) throws Exception {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
        try {
            await("three registered brokers").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id)
                            .containsExactlyInAnyOrder(1, 2, 3));
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", Integer.toString(MIN_INSYNC))))).all()
                    .get(60, TimeUnit.SECONDS);
            awaitFullIsr();
            for (String name : List.of("p1", "p2")) {
                producers.add(new SequencedProducer(name, cluster.bootstrapServers(), TOPIC, PARTITIONS, PRODUCER,
                        watch));
            }
            scheduler.scheduleAtFixedRate(() -> producers.forEach(p -> p.grant(RATE / 100, RATE)), 0, 10,
                    TimeUnit.MILLISECONDS);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Records acknowledged so far, both producers. */
    long acknowledged() {
        return producers.stream().mapToLong(SequencedProducer::acknowledged).sum();
    }

    /** Lets the producers get a seeded number of records acknowledged (100–600) before the next fault. */
    void produceSome(Random random) {
        long target = acknowledged() + 100 + random.nextInt(501);
        await("acknowledged writes before the next fault").atMost(FAILOVER_LIMIT)
                .until(() -> acknowledged() >= target);
    }

    /**
     * The partitions as each of {@code nodes} sees them, when they all agree (same leader, leader epoch and ISR
     * per partition); an {@link AssertionError} when they do not (yet): a node that was cut off answers from
     * stale metadata until it has caught up.
     */
    private Map<Integer, NodeMetadata.View> agreedViews(List<Integer> nodes) throws Exception {
        List<Map<Integer, NodeMetadata.View>> views = new ArrayList<>();
        for (int node : nodes) {
            views.add(NodeMetadata.partitions(cluster.bootstrapServers(node), TOPIC));
        }
        assertThat(views).as("partitions as nodes %s see them", nodes).allSatisfy(v ->
                assertThat(v).hasSize(PARTITIONS).isEqualTo(views.getFirst()));
        return views.getFirst();
    }

    private List<Integer> allNodes() {
        return List.copyOf(cluster.nodeIds());
    }

    /** Waits until every node sees the same leaders, leader epochs and ISRs; returns them. */
    private Map<Integer, NodeMetadata.View> agreed() {
        List<Map<Integer, NodeMetadata.View>> agreed = new ArrayList<>();
        await("the same partition metadata on every node").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                    Map<Integer, NodeMetadata.View> views = agreedViews(allNodes());
                    assertThat(views.values()).allSatisfy(v -> assertThat(v.leader()).isPositive());
                    agreed.add(views);
                });
        return agreed.getLast();
    }

    private int leader(int partition) {
        return agreed().get(partition).leader();
    }

    /**
     * A seeded choice among the partitions whose leader is ({@code ledByController}) or is not the active
     * controller.
     */
    int partition(Random random, boolean ledByController) throws Exception {
        List<Integer> candidates = candidates(ledByController);
        if (candidates.isEmpty()) {
            // earlier faults left every leadership on one side: move them back to the preferred replicas
            try {
                admin.electLeaders(ElectionType.PREFERRED, null).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // ELECTION_NOT_NEEDED for the partitions already on their preferred leader
            }
            await("a partition " + (ledByController ? "led" : "not led") + " by the controller")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !candidates(ledByController).isEmpty());
            candidates = candidates(ledByController);
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private List<Integer> candidates(boolean ledByController) {
        int controller = controller();
        return agreed().entrySet().stream()
                .filter(e -> (e.getValue().leader() == controller) == ledByController).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** The active controller's node id ({@code DescribeCluster}). */
    private int controller() {
        int[] controller = {-1};
        await("active controller").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            Node node = admin.describeCluster().controller().get(10, TimeUnit.SECONDS);
            controller[0] = node == null ? -1 : node.id();
            return controller[0] > 0;
        });
        return controller[0];
    }

    /**
     * Waits until every node sees every partition with a leader and all three replicas in sync (the cluster
     * healed, and no node answers from stale metadata).
     */
    void awaitFullIsr() {
        await("every node sees three in-sync replicas everywhere").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                        assertThat(agreedViews(allNodes()).values()).allSatisfy(v -> {
                            assertThat(v.leader()).isPositive();
                            assertThat(v.isr()).containsExactlyInAnyOrder(1, 2, 3);
                        }));
    }

    /**
     * Per node id, how many times the logs of the nodes other than {@code victim} say they fenced it so far (as
     * active controller). The victim's own log is left out: cut off or stopped while it still believed itself
     * the controller, it may try to fence the others, and such decisions of a deposed controller never commit.
     */
    private Map<Integer, Integer> fenceCounts(int victim) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int logOf : allNodes()) {
            if (logOf == victim) {
                continue;
            }
            for (String line : cluster.output(logOf).split("\n")) {
                int at = line.indexOf("Fencing broker ");
                if (at >= 0) {
                    String rest = line.substring(at + "Fencing broker ".length());
                    int end = rest.indexOf(' ');
                    counts.merge(Integer.parseInt(end < 0 ? rest : rest.substring(0, end)), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** The nodes other than {@code victim} fenced since {@code before} was taken. */
    private List<Integer> fencedSince(Map<Integer, Integer> before, int victim) {
        Map<Integer, Integer> now = fenceCounts(victim);
        return allNodes().stream().filter(id -> id != victim)
                .filter(id -> now.getOrDefault(id, 0) > before.getOrDefault(id, 0)).toList();
    }

    /** {@link #awaitFullIsr}, then the milliseconds since {@code sinceNanos}. */
    private long recoveredSince(long sinceNanos) {
        awaitFullIsr();
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private long awaitFailover(String what, long faultNanos) {
        await(what + ": next acknowledged write (cluster in " + cluster.nodeDir(1).getParent() + ")")
                .atMost(FAILOVER_LIMIT).until(watch::acknowledged);
        return watch.millisSince(faultNanos);
    }

    /**
     * The fault took effect: the other nodes agree that {@code victim} lost the leadership of {@code partition}
     * and left its ISR.
     */
    private void awaitMovedAway(int partition, int victim) {
        List<Integer> others = allNodes().stream().filter(id -> id != victim).toList();
        await("node " + victim + " out of the leadership and ISR of partition " + partition)
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> {
                    NodeMetadata.View view = agreedViews(others).get(partition);
                    assertThat(view.leader()).isPositive().isNotEqualTo(victim);
                    assertThat(view.isr()).doesNotContain(victim).hasSizeGreaterThanOrEqualTo(MIN_INSYNC);
                });
    }

    /** {@code kill -9} of {@code partition}'s leader; waits for the failover, restarts it, waits for full ISRs. */
    void killLeader(int partition) throws Exception {
        int victim = leader(partition);
        boolean wasController = controller() == victim;
        Map<Integer, Integer> fences = fenceCounts(victim);
        long t0 = System.nanoTime();
        cluster.kill(victim);
        watch.arm(partition, t0);
        long failover = awaitFailover("kill -9 of node " + victim, t0);
        awaitMovedAway(partition, victim);
        long restart = System.nanoTime();
        cluster.start(victim);
        faults.add(new Fault("kill -9 leader", victim, wasController, partition, 0, failover,
                recoveredSince(restart), fencedSince(fences, victim)));
    }

    /** {@code kill -9} of the active controller (failover watched on a partition it leads); restarts it. */
    void killController() throws Exception {
        int victim = controller();
        int partition = agreed().entrySet().stream().filter(e -> e.getValue().leader() == victim)
                .mapToInt(Map.Entry::getKey).findFirst().orElse(0);
        Map<Integer, Integer> fences = fenceCounts(victim);
        long t0 = System.nanoTime();
        cluster.kill(victim);
        watch.arm(partition, t0);
        long failover = awaitFailover("kill -9 of the controller " + victim, t0);
        awaitMovedAway(partition, victim);
        await("a new controller").atMost(FAILOVER_LIMIT).ignoreExceptions().until(() -> {
            Node node = admin.describeCluster().controller().get(10, TimeUnit.SECONDS);
            return node != null && node.id() != victim;
        });
        long restart = System.nanoTime();
        cluster.start(victim);
        faults.add(new Fault("kill -9 controller", victim, true, partition, 0, failover,
                recoveredSince(restart), fencedSince(fences, victim)));
    }

    /** SIGSTOP of {@code partition}'s leader for {@code pause}; the partition must fail over meanwhile. */
    void pauseLeader(int partition, Duration pause) throws Exception {
        int victim = leader(partition);
        boolean wasController = controller() == victim;
        Map<Integer, Integer> fences = fenceCounts(victim);
        long t0 = System.nanoTime();
        cluster.pause(victim);
        watch.arm(partition, t0);
        ScheduledFuture<?> resume = scheduler.schedule(() -> {
            cluster.resume(victim);
            return null;
        }, pause.toMillis(), TimeUnit.MILLISECONDS);
        long failover = awaitFailover("SIGSTOP of node " + victim, t0);
        awaitMovedAway(partition, victim);
        assertThat(resume.isDone()).as("the partition failed over while node %d was stopped (%d ms; failover %d "
                + "ms)", victim, pause.toMillis(), failover).isFalse();
        resume.get(pause.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        long resumed = System.nanoTime();
        faults.add(new Fault("SIGSTOP leader", victim, wasController, partition, (resumed - t0) / 1_000_000,
                failover, recoveredSince(resumed), fencedSince(fences, victim)));
    }

    /** Cuts {@code partition}'s leader off (iptables) for {@code isolation}; it must fail over meanwhile. */
    void isolateLeader(NetworkNamespaces net, int partition, Duration isolation) throws Exception {
        int victim = leader(partition);
        boolean wasController = controller() == victim;
        Map<Integer, Integer> fences = fenceCounts(victim);
        long t0 = System.nanoTime();
        net.isolate(victim);
        watch.arm(partition, t0);
        ScheduledFuture<?> heal = scheduler.schedule(() -> {
            net.heal(victim);
            return null;
        }, isolation.toMillis(), TimeUnit.MILLISECONDS);
        long failover = awaitFailover("isolation of node " + victim, t0);
        awaitMovedAway(partition, victim);
        assertThat(heal.isDone()).as("the partition failed over while node %d was cut off (%d ms; failover %d "
                + "ms)", victim, isolation.toMillis(), failover).isFalse();
        heal.get(isolation.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        long healed = System.nanoTime();
        faults.add(new Fault("iptables isolate leader", victim, wasController, partition,
                (healed - t0) / 1_000_000, failover, recoveredSince(healed), fencedSince(fences, victim)));
    }

    /** Stops the producers, reads every partition and every replica's segment files, prints and asserts. */
    void drainAndAudit() throws Exception {
        for (SequencedProducer producer : producers) {
            producer.close(Duration.ofSeconds(90));
        }
        awaitFullIsr();
        Map<TopicPartition, List<ConsumerRecord<String, String>>> read;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            read = LogReader.readAll(consumer, LogReader.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(90));
        }
        // every replica has fetched up to the high watermark the consumer read to
        Map<TopicPartition, Integer> readCounts = new LinkedHashMap<>();
        read.forEach((tp, records) -> readCounts.put(tp, records.size()));
        for (int node : cluster.nodeIds()) {
            for (TopicPartition tp : readCounts.keySet()) {
                await("node " + node + " holds " + tp + " up to the end").atMost(Duration.ofSeconds(30))
                        .until(() -> SegmentFiles.values(cluster.logDir(node), TOPIC, tp.partition()).size()
                                >= readCounts.get(tp));
            }
        }
        Map<Integer, Map<Integer, List<String>>> onDisk = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (int node : cluster.nodeIds()) {
                onDisk.computeIfAbsent(p, k -> new HashMap<>()).put(node,
                        SegmentFiles.values(cluster.logDir(node), TOPIC, p));
            }
        }
        SequenceAudit.Result audit = SequenceAudit.check(read, producers, onDisk, MIN_INSYNC);
        long failed = producers.stream().mapToLong(SequencedProducer::failed).sum();
        System.out.println(table(audit, failed));
        assertThat(audit.acknowledged()).as("records acknowledged").isPositive();
        assertThat(audit.problems()).as("delivery problems:\n%s", table(audit, failed)).isEmpty();
        assertThat(audit.clean()).isTrue();
        // a fault of one node leaves the others' broker sessions alone (Kafka's brokers keep heartbeating
        // through a controller failover)
        assertThat(faults).as("faults that got other brokers fenced:\n%s", table(audit, failed))
                .allSatisfy(f -> assertThat(f.othersFenced()).as("brokers fenced by %s of node %d", f.kind(),
                        f.node()).isEmpty());
    }

    private String table(SequenceAudit.Result audit, long failed) {
        StringBuilder out = new StringBuilder("\n=== ClusterFaultsIT: faults on a 3-process cluster (RF=3, ")
                .append("min.insync.replicas=").append(MIN_INSYNC).append(", ").append(PARTITIONS)
                .append(" partitions, 2 idempotent acks=all producers)\n");
        out.append(String.format("%-3s %-25s %-5s %-11s %-10s %-10s %-12s %-13s %s%n", "#", "fault", "node",
                "controller", "partition", "lasted ms", "failover ms", "recovered ms", "others fenced"));
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            out.append(String.format("%-3d %-25s %-5d %-11s %-10d %-10s %-12d %-13d %s%n", i + 1, f.kind(),
                    f.node(), f.controller() ? "yes" : "no", f.partition(),
                    f.lastedMs() == 0 ? "-" : Long.toString(f.lastedMs()), f.failoverMs(), f.recoveredMs(),
                    f.othersFenced().isEmpty() ? "-" : f.othersFenced().toString()));
        }
        List<Long> failovers = faults.stream().map(Fault::failoverMs).sorted().toList();
        out.append("(failover: fault -> next acknowledged write to the partition; recovered: restart, SIGCONT or "
                + "heal -> every node sees three in-sync replicas on every partition)\n");
        out.append(String.format("faults %d, failover median %d ms, max %d ms%n", faults.size(),
                failovers.isEmpty() ? -1 : failovers.get(failovers.size() / 2),
                failovers.isEmpty() ? -1 : failovers.getLast()));
        out.append(String.format("records acknowledged %d, send failures %d, read %d, lost %d, inconsistent %d, "
                        + "duplicated %d, reordered %d, under-replicated on disk %d; run %d s%n",
                audit.acknowledged(), failed, audit.read(), audit.lost(), audit.inconsistent(), audit.duplicated(),
                audit.reordered(), audit.underReplicated(), (System.nanoTime() - startNanos) / 1_000_000_000));
        audit.problems().forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        for (SequencedProducer producer : producers) {
            producer.close(Duration.ZERO);
        }
        admin.close(Duration.ofSeconds(5));
    }
}
