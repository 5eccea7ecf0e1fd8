package io.samsa.it;

import static org.awaitility.Awaitility.await;

import io.samsa.broker.SamsaBroker;
import io.samsa.broker.SamsaNode;
import io.samsa.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Test kit: a Samsa cluster of N combined nodes ({@code process.roles=broker,controller}; a node given
 * {@code process.roles=controller} in its overrides runs the quorum voter alone; a node given {@code
 * process.roles=broker} is a broker-only node outside {@code controller.quorum.voters}, following the metadata from
 * the voters) in this JVM on 127.0.0.1,
 * node ids 1..N, each with its own directory ({@code <dir>/node-<id>/logs}, metadata inside) and two fixed free
 * ports: the client listener ({@code PLAINTEXT}) and the {@code CONTROLLER} listener whose port carries the Ratis
 * quorum ({@code controller.quorum.voters}). The files are the ones a user writes ({@link #nodeProperties}).
 *
 * <p>Nodes start in parallel on dedicated threads (never the common pool: a starting voter blocks until a majority is
 * up, see {@code shared/research/ratis-three-voters.md}). A stopped node restarts on the same ports and data, so
 * clients keep their bootstrap list. Not thread-safe: one owner (the test).
 *
 * <p>{@link #kill(int)} is as close to a crash as one JVM allows: the node stops without a controlled shutdown (the
 * controller fences it when its session expires) and its clean-shutdown markers are removed, so the next start
 * recovers the logs as after a crash. Unlike {@code kill -9}, the close still flushes
 * the page cache and runs the shutdown sequence (use {@code ClusterProcesses} for real crashes).
 */
public final class EmbeddedCluster implements AutoCloseable {
    static {
        // Ratis stops the JVM (System.exit) when a quorum listener cannot bind; in-process brokers share the test JVM,
        // so such a failure must fail the test that started the broker instead of every test of the run
        org.apache.ratis.util.ExitUtils.disableSystemExit();
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int size;
    private final Map<String, String> overrides;
    private final Map<Integer, Map<String, String>> nodeOverrides;
    private final ClusterLayout layout;
    private final Map<Integer, SamsaNode> running = new TreeMap<>();
    private final ExecutorService starter;

    private EmbeddedCluster(Path dir, int size, Map<String, String> overrides,
            Map<Integer, Map<String, String>> nodeOverrides) throws IOException {
        this.dir = dir;
        this.size = size;
        this.overrides = Map.copyOf(overrides);
        this.nodeOverrides = Map.copyOf(nodeOverrides);
        this.layout = ClusterLayout.loopback(size).withBrokerOnly(nodeOverrides.entrySet().stream()
                .filter(e -> "broker".equals(e.getValue().getOrDefault("process.roles", "").replace(" ", "")))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
        this.starter = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "embedded-cluster-start");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code size} nodes under {@code dir} with Kafka-key {@code overrides} for all of them, and returns once
     * every node has started (the quorum elected a leader and agreed on the cluster id, every broker registered).
     *
     * @param nodeOverrides per node id, keys that win over {@code overrides}
     */
    public static EmbeddedCluster start(Path dir, int size, Map<String, String> overrides,
            Map<Integer, Map<String, String>> nodeOverrides) throws Exception {
        EmbeddedCluster cluster = new EmbeddedCluster(dir, size, overrides, nodeOverrides);
        try {
            cluster.startAll(cluster.nodeIds());
        } catch (Exception | Error e) {
            cluster.close();
            if (!isBindFailure(e)) {
                throw e;
            }
            // a port picked free was taken before a node bound it: once more, on fresh ports in a fresh directory
            cluster = new EmbeddedCluster(dir.resolve("fresh-ports"), size, overrides, nodeOverrides);
            try {
                cluster.startAll(cluster.nodeIds());
            } catch (Exception | Error again) {
                cluster.close();
                again.addSuppressed(e);
                throw again;
            }
        }
        return cluster;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof java.net.BindException || message.contains("Failed to start Grpc server")
                    || message.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    public static EmbeddedCluster start(Path dir, int size, Map<String, String> overrides) throws Exception {
        return start(dir, size, overrides, Map.of());
    }

    public static EmbeddedCluster start(Path dir, int size) throws Exception {
        return start(dir, size, Map.of(), Map.of());
    }

    /**
     * The properties of node {@code id}: a Kafka KRaft combined-node (or broker-only node) file plus the overrides.
     */
    public Map<String, String> nodeProperties(int id) {
        Map<String, String> props = new LinkedHashMap<>(layout.properties(id, logDir(id)));
        props.put("http.listeners", "http://127.0.0.1:0"); // never the default 9644: brokers side by side
        props.putAll(overrides);
        props.putAll(nodeOverrides.getOrDefault(id, Map.of()));
        if (isControllerOnly(props)) {
            props.put("listeners", "CONTROLLER://127.0.0.1:" + layout.controllerPorts().get(id));
            props.remove("advertised.listeners");
            props.remove("inter.broker.listener.name");
        }
        return props;
    }

    private static boolean isControllerOnly(Map<String, String> props) {
        return "controller".equals(props.getOrDefault("process.roles", "").replace(" ", ""));
    }

    /** True when node {@code id} is a broker (not {@code process.roles=controller}). */
    public boolean isBroker(int id) {
        return !isControllerOnly(nodeProperties(id));
    }

    private void startAll(Set<Integer> ids) throws Exception {
        Map<Integer, CompletableFuture<SamsaNode>> starting = new TreeMap<>();
        for (int id : ids) {
            BrokerConfig config = BrokerConfig.fromProperties(nodeProperties(id));
            starting.put(id, CompletableFuture.supplyAsync(() -> {
                try {
                    return SamsaNode.start(config);
                } catch (Exception e) {
                    throw new IllegalStateException("node " + config.nodeId() + " did not start: " + e, e);
                }
            }, starter));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Map.Entry<Integer, CompletableFuture<SamsaNode>> e : starting.entrySet()) {
            try {
                running.put(e.getKey(), e.getValue().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (Exception ex) {
                Throwable cause = ex instanceof java.util.concurrent.ExecutionException ? ex.getCause() : ex;
                if (failure.get() == null) {
                    failure.set(cause);
                } else {
                    failure.get().addSuppressed(cause);
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the cluster did not start: " + failure.get().getMessage(), failure.get());
        }
    }

    /** Node ids 1..N. */
    public Set<Integer> nodeIds() {
        Set<Integer> ids = new TreeSet<>();
        for (int id = 1; id <= size; id++) {
            ids.add(id);
        }
        return ids;
    }

    /** Ids of the nodes running now. */
    public Set<Integer> liveNodeIds() {
        return Set.copyOf(running.keySet());
    }

    /** True when node {@code id} is a voter of the metadata quorum (not broker-only). */
    public boolean isVoter(int id) {
        return !layout.isBrokerOnly(id);
    }

    /** The running node {@code id}, broker or controller-only. */
    public SamsaNode node(int id) {
        SamsaNode node = running.get(id);
        if (node == null) {
            throw new IllegalStateException("node " + id + " is not running (nodes running: " + running.keySet() + ")");
        }
        return node;
    }

    /** The running broker {@code id}. */
    public SamsaBroker broker(int id) {
        if (!(node(id) instanceof SamsaBroker broker)) {
            throw new IllegalStateException("node " + id + " is a controller only");
        }
        return broker;
    }

    /** The client address of node {@code id} (fixed across restarts). */
    public String bootstrapServers(int id) {
        return layout.clientAddress(id);
    }

    /** Every broker's client address, running or not (clients skip the stopped ones). */
    public String bootstrapServers() {
        return nodeIds().stream().filter(this::isBroker).map(this::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The log directory of node {@code id}. */
    public Path logDir(int id) {
        return dir.resolve("node-" + id).resolve("logs");
    }

    /** Stops node {@code id} cleanly (clean-shutdown markers written). */
    public void stop(int id) {
        node(id).close();
        running.remove(id);
    }

    /** Closes node {@code id} and removes its clean-shutdown markers: the next start recovers as after a crash. */
    public void kill(int id) throws IOException {
        broker(id).halt(); // no controlled shutdown: the controller finds out when the session expires
        running.remove(id);
        try (var files = Files.list(logDir(id))) {
            for (Path marker : files.filter(p -> p.getFileName().toString().equals(".kafka_cleanshutdown")).toList()) {
                Files.delete(marker);
            }
        }
    }

    /** Starts node {@code id} again on its ports and data (stopping it first if it runs); waits until it started. */
    public void restart(int id) throws Exception {
        if (running.containsKey(id)) {
            stop(id);
        }
        startAll(Set.of(id));
    }

    /** Starts a stopped node {@code id}. */
    public void start(int id) throws Exception {
        if (running.containsKey(id)) {
            throw new IllegalStateException("node " + id + " is running");
        }
        startAll(Set.of(id));
    }

    /** The current leader of {@code tp} as the cluster's Metadata says, or -1 when it has none. */
    public int leaderOf(TopicPartition tp) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(tp.topic())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(tp.topic());
            TopicPartitionInfo info = description.partitions().get(tp.partition());
            Node leader = info.leader();
            return leader == null || leader.isEmpty() ? -1 : leader.id();
        }
    }

    /** Waits (up to 60 s) until {@code topic}-{@code partition} has a leader that is running; returns its id. */
    public int awaitLeader(String topic, int partition) {
        AtomicReference<Integer> leader = new AtomicReference<>(-1);
        await(topic + "-" + partition + " has a live leader").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    leader.set(leaderOf(new TopicPartition(topic, partition)));
                    return running.containsKey(leader.get());
                });
        return leader.get();
    }

    /** An admin client bootstrapped from every node. */
    public Admin admin() {
        return Clients.admin(bootstrapServers());
    }

    public KafkaProducer<String, String> producer(Map<String, Object> extra) {
        return Clients.producer(bootstrapServers(), extra);
    }

    public KafkaProducer<byte[], byte[]> byteProducer(Map<String, Object> extra) {
        return Clients.byteProducer(bootstrapServers(), extra);
    }

    /** A consumer without a group (assign/seek), auto commit off, reset to earliest. */
    public KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        return Clients.consumer(bootstrapServers(), extra);
    }

    /** Stops every running node, in parallel, cleanly. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (SamsaNode node : running.values()) {
            // the whole cluster goes: no leadership to hand over, so no controlled shutdowns
            closing.add(CompletableFuture.runAsync(node instanceof SamsaBroker b ? b::halt : node::close, starter));
        }
        running.clear();
        closing.forEach(f -> {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a node did not close", e);
            }
        });
        starter.shutdownNow();
    }

    /** Writes each node's properties as {@code <dir>/node-<id>.properties} (for reports and the README). */
    public Map<Integer, Path> writeProperties() {
        Map<Integer, Path> files = new HashMap<>();
        for (int id : nodeIds()) {
            Path file = dir.resolve("node-" + id + ".properties");
            try {
                Files.writeString(file, ClusterLayout.text(nodeProperties(id)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.put(id, file);
        }
        return files;
    }
}
