package io.samsa.bench.group;

import io.samsa.broker.SamsaBroker;
import io.samsa.broker.config.BrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Group coordinator load, in process, over real sockets with raw kafka-clients requests:
 *
 * <ol>
 *   <li>{@code members} classic members join one group (JoinGroup v9: MEMBER_ID_REQUIRED, then the join; then
 *       SyncGroup with the leader's assignment for all): the time from the first JoinGroup to the last member holding
 *       its assignment;</li>
 *   <li>{@code groups} groups each commit one offset per round for {@code rounds} rounds (OffsetCommit v8, simple
 *       commits): commits per second, each appended to {@code __consumer_offsets} before it is answered.</li>
 * </ol>
 *
 * Usage: {@code java -cp samsa-bench.jar io.samsa.bench.group.GroupBench [members] [groups] [rounds]}.
 */
public final class GroupBench {
    private static final int CONNECTIONS = 16;

    private GroupBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("samsa-group-bench");
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", dir.resolve("logs").toString());
        props.put("group.initial.rebalance.delay.ms", "0");
        try (SamsaBroker broker = SamsaBroker.start(BrokerConfig.fromProperties(props))) {
            int port = broker.port();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("bench", 8, (short) 1))).all().get();
            }
            try (PipelinedConnection c = new PipelinedConnection("127.0.0.1", port)) {
                c.exchange(List.of(() -> new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKeyType((byte) 0).setCoordinatorKeys(List.of("warmup")))), (short) 4, 1);
            }
            awaitCoordinators(port, groups);
            long joinMs = joinOneGroup(port, members);
            double commitsPerSecond = commit(port, groups, rounds);
            System.out.println();
            System.out.println("| benchmark | result |");
            System.out.println("| --- | --- |");
            System.out.printf("| %d classic members join one group (JoinGroup x2 + SyncGroup each) | %d ms to full "
                    + "assignment |%n", members, joinMs);
            System.out.printf("| %d groups x %d rounds of OffsetCommit (1 partition, appended before the answer) | "
                    + "%,.0f commits/s |%n", groups, rounds, commitsPerSecond);
        }
    }

    /** Waits until every shard the bench's groups map to has loaded (no COORDINATOR_LOAD_IN_PROGRESS). */
    private static void awaitCoordinators(int port, int groups) throws Exception {
        List<OffsetFetchRequestData.OffsetFetchRequestGroup> all = new ArrayList<>();
        all.add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("big"));
        for (int g = 0; g < groups; g++) {
            all.add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("bench-group-" + g));
        }
        try (PipelinedConnection c = new PipelinedConnection("127.0.0.1", port)) {
            for (int attempt = 0; attempt < 300; attempt++) {
                OffsetFetchResponse r = (OffsetFetchResponse) c.exchange(List.of(() -> OffsetFetchRequest.Builder
                        .forTopicNames(new OffsetFetchRequestData().setGroups(all), false)), (short) 8, 1).getFirst();
                if (r.data().groups().stream().allMatch(g -> g.errorCode() == 0)) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the group coordinator did not load");
    }

    private static JoinGroupRequestData join(String memberId) {
        return new JoinGroupRequestData().setGroupId("big").setMemberId(memberId).setSessionTimeoutMs(60_000)
                .setRebalanceTimeoutMs(60_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                                .setMetadata(new byte[64])).iterator()));
    }

    private static long joinOneGroup(int port, int members) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        List<PipelinedConnection> conns = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            conns.add(new PipelinedConnection("127.0.0.1", port));
        }
        try {
            long start = System.nanoTime();
            List<List<String>> ids = perConnection(pool, conns, members, (c, n) -> {
                List<Supplier<AbstractRequest.Builder<?>>> reqs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    reqs.add(() -> new JoinGroupRequest.Builder(join("")));
                }
                return c.exchange(reqs, (short) 9, 1000).stream().map(r -> ((JoinGroupResponse) r).data().memberId())
                        .toList();
            });
            List<List<JoinGroupResponse>> joined = perConnection(pool, conns, members, (c, n) -> {
                List<String> mine = ids.get(conns.indexOf(c));
                List<Supplier<AbstractRequest.Builder<?>>> reqs = new ArrayList<>();
                mine.forEach(id -> reqs.add(() -> new JoinGroupRequest.Builder(join(id))));
                return c.exchange(reqs, (short) 9, 1000).stream().map(r -> (JoinGroupResponse) r).toList();
            });
            JoinGroupResponse leader = joined.stream().flatMap(List::stream)
                    .filter(r -> r.data().leader().equals(r.data().memberId())).findFirst().orElseThrow(() ->
                            new IllegalStateException("no leader: " + joined.getFirst().getFirst().error()));
            int generation = leader.data().generationId();
            List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments = leader.data().members().stream()
                    .map(m -> new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(m.memberId())
                            .setAssignment(new byte[32])).toList();
            List<List<SyncGroupResponse>> synced = perConnection(pool, conns, members, (c, n) -> {
                List<Supplier<AbstractRequest.Builder<?>>> reqs = new ArrayList<>();
                for (JoinGroupResponse j : joined.get(conns.indexOf(c))) {
                    boolean isLeader = j.data().memberId().equals(leader.data().memberId());
                    reqs.add(() -> new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId("big")
                            .setMemberId(j.data().memberId()).setGenerationId(generation)
                            .setAssignments(isLeader ? assignments : List.of())));
                }
                return c.exchange(reqs, (short) 5, 1000).stream().map(r -> (SyncGroupResponse) r).toList();
            });
            long ms = (System.nanoTime() - start) / 1_000_000;
            long ok = synced.stream().flatMap(List::stream).filter(r -> r.error() == Errors.NONE).count();
            if (ok != members) {
                throw new IllegalStateException(ok + " of " + members + " members synced: " + synced.stream()
                        .flatMap(List::stream).collect(java.util.stream.Collectors.groupingBy(SyncGroupResponse::error,
                                java.util.stream.Collectors.counting())));
            }
            return ms;
        } finally {
            pool.shutdownNow();
            for (PipelinedConnection c : conns) {
                c.close();
            }
        }
    }

    private static double commit(int port, int groups, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        List<PipelinedConnection> conns = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            conns.add(new PipelinedConnection("127.0.0.1", port));
        }
        try {
            long start = System.nanoTime();
            List<List<Long>> failures = perConnection(pool, conns, groups, (c, n) -> {
                int base = conns.indexOf(c) * ((groups + CONNECTIONS - 1) / CONNECTIONS);
                List<Supplier<AbstractRequest.Builder<?>>> reqs = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    for (int g = 0; g < n; g++) {
                        String group = "bench-group-" + (base + g);
                        long offset = round;
                        reqs.add(() -> OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                                .setGroupId(group).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                        .setName("bench").setPartitions(List.of(new OffsetCommitRequestData
                                                .OffsetCommitRequestPartition().setPartitionIndex(0)
                                                .setCommittedOffset(offset)))))));
                    }
                }
                long bad = c.exchange(reqs, (short) 8, 64).stream().filter(r -> ((OffsetCommitResponse) r).data()
                        .topics().getFirst().partitions().getFirst().errorCode() != 0).count();
                return List.of(bad);
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long bad = failures.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
            if (bad > 0) {
                throw new IllegalStateException(bad + " commits failed");
            }
            return (double) groups * rounds / seconds;
        } finally {
            pool.shutdownNow();
            for (PipelinedConnection c : conns) {
                c.close();
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        List<T> run(PipelinedConnection c, int count) throws Exception;
    }

    /** Splits {@code total} items over the connections and runs each share on its own thread. */
    private static <T> List<List<T>> perConnection(ExecutorService pool, List<PipelinedConnection> conns, int total,
                                                   Work<T> work) throws Exception {
        int per = (total + conns.size() - 1) / conns.size();
        List<Future<List<T>>> futures = new ArrayList<>();
        for (int i = 0; i < conns.size(); i++) {
            PipelinedConnection c = conns.get(i);
            int n = Math.max(0, Math.min(per, total - i * per));
            futures.add(pool.submit(() -> work.run(c, n)));
        }
        List<List<T>> out = new ArrayList<>();
        for (Future<List<T>> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
