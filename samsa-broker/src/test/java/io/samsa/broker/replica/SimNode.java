package io.samsa.broker.replica;

import io.samsa.broker.replica.ReplicaFetcherThread.FetchState;
import io.samsa.broker.replica.SimNetwork.EpochRequest;
import io.samsa.broker.replica.SimNetwork.EpochResponse;
import io.samsa.broker.replica.SimNetwork.FetchRequest;
import io.samsa.broker.replica.SimNetwork.FetchResponse;
import io.samsa.broker.replica.SimNetwork.Message;
import io.samsa.metadata.PartitionImage;
import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.SimulationHooks;
import io.samsa.storage.files.PowerCutFiles;
import io.samsa.storage.files.StorageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * One simulated broker hosting one replica. What is Samsa's: the {@link LogManager} and {@link PartitionLog} (on a
 * {@link PowerCutFiles} layer, so a crash keeps only what was fsynced, and a restart runs the real recovery; its
 * background flushes of rolled segments run between steps instead of on the flusher threads), the
 * {@link Partition} (leadership, follower fetch state, ISR proposals, high watermark, acks=all waits) and, as
 * follower, {@link ReplicaFetcherResponses} (truncation by OffsetsForLeaderEpoch, follower appends, the leader's high
 * watermark) over a real {@link FetchState}. What is simulated: the fetcher's loop and connection (one request in
 * flight per fetch state, {@link #nextRequest}) and the leader's request handling, a copy of the few lines of
 * {@code ReplicaReads.readForFollower}, {@code updateFollowerFetchState} and {@code endOffsetForEpoch} (epoch
 * validation with {@link ReplicaManager#validateLeaderEpoch}, then the same Partition and PartitionLog calls).
 *
 * <p>Not thread-safe: the simulation is single-threaded.
 */
final class SimNode {
    static final TopicPartition TP = new TopicPartition("sim", 0);
    static final UUID TOPIC_ID = new UUID(7, 7);
    static final Uuid KAFKA_TOPIC_ID = new Uuid(7, 7);
    private static final ReplicationSettings SETTINGS = ReplicationSettings.defaults("REPLICATION");

    final int id;
    private final Path dir;
    private final LogConfig config;
    private final MockTime time;
    private final Partition.IsrUpdater isrUpdater;
    private final IntPredicate unfenced;
    /** This incarnation's broker epoch, named in its fetches (KIP-903). */
    private long brokerEpoch = -1;
    /** Fetches this broker refused, as leader, for naming an earlier broker epoch than the follower's last (all runs). */
    private long staleFetchesRefused;

    private PowerCutFiles files;
    private AutoCloseable installed;
    private LogManager manager;
    private Partition partition;
    /** The fetcher's state for the current leader epoch (null when leading or leaderless). */
    private FetchState fetch;
    private ReplicaFetcherResponses responses;
    /** The fetch state whose request or response is in flight (one at a time, as the fetcher thread), or null. */
    private FetchState awaiting;
    /** The log's background flushes (of rolled segments) queued during the current step; run between steps. */
    private final List<Runnable> backgroundFlushes = new ArrayList<>();

    SimNode(int id, Path dir, LogConfig config, MockTime time, Partition.IsrUpdater isrUpdater,
            IntPredicate unfenced) {
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.isrUpdater = isrUpdater;
        this.unfenced = unfenced;
    }

    boolean alive() {
        return partition != null;
    }

    Partition partition() {
        return partition;
    }

    PartitionLog log() {
        return partition.log();
    }

    /** Starts the broker: opens (recovering) its log directory under a power-cut layer; a fresh Partition. */
    void start() {
        try {
            files = new PowerCutFiles(dir, Long.MAX_VALUE);
            installed = StorageFiles.install(dir, files);
            manager = LogManager.open(List.of(dir), config, time);
            PartitionLog log = manager.getOrCreate(TP, KAFKA_TOPIC_ID, config);
            SimulationHooks.runBackgroundFlushesOn(log, backgroundFlushes::add);
            partition = new Partition(TP, TOPIC_ID, log, id, isrUpdater, unfenced, () -> { }, time::milliseconds,
                    Runnable::run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fetch = null;
        awaiting = null;
        backgroundFlushes.clear();
    }

    /** The broker registered: its fetches name {@code epoch} from now on. */
    void registered(long epoch) {
        brokerEpoch = epoch;
    }

    /** Runs the background flushes queued so far: the flusher threads' work, done between two steps. */
    void runBackgroundFlushes() {
        while (!backgroundFlushes.isEmpty()) {
            backgroundFlushes.removeFirst().run();
        }
    }

    /** Power loss: the process dies and every byte not fsynced is gone (the page cache with it). */
    void crash() {
        try {
            files.cutNow();
            SimulationHooks.crash(manager);
            files.applyCut();
            installed.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        partition = null;
        manager = null;
        fetch = null;
        awaiting = null;
        backgroundFlushes.clear(); // queued, never run: the power went first
    }

    /** A clean stop at the end of a run. */
    void stop() throws Exception {
        if (alive()) {
            manager.close();
            installed.close();
            partition = null;
        }
    }

    /** The periodic flush (fsync, Kafka's {@code log.flush.*}) or checkpoint of the recovery point and HW. */
    void flushOrCheckpoint(boolean flush) {
        try {
            if (flush) {
                log().flush();
            } else {
                manager.checkpoint();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies a metadata update; a follower of a new leader epoch gets a new fetch state (truncating first). */
    Partition.Transition apply(PartitionImage image) {
        Partition.Transition t = partition.apply(image);
        if (partition.isLeader() || partition.leaderId() < 0) {
            fetch = null;
        } else if (fetch == null || fetch.leaderEpoch != partition.leaderEpoch()) {
            fetch = new FetchState(partition, partition.leaderEpoch());
            responses = new ReplicaFetcherResponses(partition.leaderId(), SETTINGS, tp -> { });
        }
        return t;
    }

    // ---- follower: the fetcher's loop ----

    /**
     * The fetcher's next request, when none is in flight: OffsetsForLeaderEpoch while truncating (or, with no epoch
     * in the local log, truncation to the high watermark, as {@code ReplicaFetcherThread.truncate}), else a Fetch
     * from the log end offset.
     */
    Optional<Message> nextRequest(int maxBytes) {
        if (fetch == null || awaiting == fetch) {
            return Optional.empty();
        }
        FetchState s = fetch;
        int leader = partition.leaderId();
        awaiting = s;
        if (s.truncating) {
            OptionalInt latest = log().latestEpochInCache();
            if (latest.isPresent()) {
                return Optional.of(new EpochRequest(id, leader, s, s.leaderEpoch, latest.getAsInt()));
            }
            responses.truncated(s, log().highWatermark(), "no leader epoch in the local log");
            responses.checkpointTruncations(); // the end of the fetcher's truncation round
        }
        return Optional.of(new FetchRequest(id, leader, s, s.fetchOffset, s.leaderEpoch, brokerEpoch, maxBytes));
    }

    /** A response for this follower: handled by Samsa's fetcher code when still for the current fetch state. */
    void onResponse(Message m) {
        switch (m) {
            case FetchResponse r when r.state() == fetch -> {
                awaiting = null;
                responses.onFetched(fetch, r.data());
                responses.checkpointTruncations(); // the end of the fetcher's round, as ReplicaFetcherThread.round
            }
            case EpochResponse r when r.state() == fetch -> {
                awaiting = null;
                responses.onEpochEndOffset(fetch, r.data());
                responses.checkpointTruncations();
            }
            default -> { } // for an older fetch state (a new leader epoch since): ignored, as stillCurrent does
        }
    }

    /** The request of {@code state} was lost (timed out, connection closed): the fetcher sends again. */
    void onLost(FetchState state) {
        if (awaiting == state) {
            awaiting = null;
        }
    }

    // ---- leader: request handling ----

    /** OffsetsForLeaderEpoch on this broker (OffsetsForLeaderEpochHandler over ReplicaReads.endOffsetForEpoch). */
    EpochResponse handle(EpochRequest r) {
        EpochEndOffset out = new EpochEndOffset().setPartition(TP.partition());
        try {
            leaderPartition(r.currentLeaderEpoch());
            Optional<io.samsa.storage.EpochEndOffset> found = log().endOffsetForEpoch(r.leaderEpoch());
            out.setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(found.map(io.samsa.storage.EpochEndOffset::leaderEpoch)
                            .orElse(RecordBatch.NO_PARTITION_LEADER_EPOCH))
                    .setEndOffset(found.map(io.samsa.storage.EpochEndOffset::endOffset)
                            .orElse(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET));
        } catch (RuntimeException e) {
            out.setErrorCode(Errors.forException(e).code()).setLeaderEpoch(RecordBatch.NO_PARTITION_LEADER_EPOCH)
                    .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
        }
        return new EpochResponse(id, r.from(), r.state(), out);
    }

    /**
     * A follower's Fetch on this broker (DelayedFetch: the follower's fetch state first, then
     * ReplicaReads.readForFollower up to the log end offset). Answered at once (no parking in the purgatory).
     */
    FetchResponse handle(FetchRequest r) {
        var out = new FetchResponseData.PartitionData().setPartitionIndex(TP.partition());
        PartitionLog log;
        try {
            Partition p = leaderPartition(r.currentLeaderEpoch());
            log = p.log();
            try {
                p.updateFollowerFetchState(r.from(), r.brokerEpoch(), r.fetchOffset(), log.logEndOffset(),
                        time.milliseconds());
            } catch (NotLeaderOrFollowerException e) { // this leader's only refusal there: an earlier broker epoch
                staleFetchesRefused++;
                throw e;
            }
        } catch (RuntimeException e) {
            return new FetchResponse(id, r.from(), r.state(), out.setErrorCode(Errors.forException(e).code())
                    .setHighWatermark(-1).setLogStartOffset(-1).setRecords(MemoryRecords.EMPTY));
        }
        try {
            long hw = log.highWatermark();
            FetchDataInfo data = log.read(r.fetchOffset(), r.maxBytes(), log.logEndOffset(), true);
            out.setErrorCode(Errors.NONE.code()).setHighWatermark(hw).setLogStartOffset(log.logStartOffset())
                    .setLastStableOffset(log.lastStableOffset()).setRecords(copy(data.records()));
        } catch (RuntimeException e) {
            Errors error = Errors.forException(e);
            out.setErrorCode(error.code()).setHighWatermark(-1).setRecords(MemoryRecords.EMPTY)
                    .setLogStartOffset(error == Errors.OFFSET_OUT_OF_RANGE ? log.logStartOffset() : -1);
        }
        return new FetchResponse(id, r.from(), r.state(), out);
    }

    /** Fetches refused so far as from an earlier incarnation of their follower (KIP-903). */
    long staleFetchesRefused() {
        return staleFetchesRefused;
    }

    private Partition leaderPartition(int currentLeaderEpoch) {
        if (!partition.isLeader()) {
            throw new NotLeaderOrFollowerException("broker " + id + " does not lead " + TP);
        }
        ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
        return partition;
    }

    /** The bytes of the batches read, as they would arrive over a socket. */
    private static MemoryRecords copy(Records records) {
        if (records instanceof MemoryRecords m) {
            ByteBuffer b = ByteBuffer.allocate(m.sizeInBytes());
            b.put(m.buffer().duplicate()).flip();
            return MemoryRecords.readableRecords(b);
        }
        if (records instanceof FileRecords f) {
            try {
                ByteBuffer b = ByteBuffer.allocate(f.sizeInBytes());
                f.readInto(b, 0);
                return MemoryRecords.readableRecords(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("unexpected records " + records.getClass());
    }

    @Override
    public String toString() {
        if (!alive()) {
            return "node" + id + "(down)";
        }
        return "node" + id + "(" + (partition.isLeader() ? "leader" : "follower") + " e" + partition.leaderEpoch()
                + " pe" + partition.partitionEpoch() + " isr" + partition.isr() + " leo" + log().logEndOffset()
                + " hw" + log().highWatermark() + " rp" + log().recoveryPoint() + ")";
    }
}
