package io.samsa.metadata;

import io.samsa.metadata.record.MetadataCodecException;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecordCodec;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The Ratis state machine: applies committed record batches to the {@link ClusterImage}, snapshots the image, and
 * tracks who the controller is.
 *
 * <p>Threads: {@code applyTransaction}, {@code notifyTermIndexUpdated}, {@code takeSnapshot} and
 * {@code reinitialize} run on Ratis' single StateMachineUpdater thread; {@code startTransaction} and the leader
 * notifications on Ratis RPC threads; {@link #image()} on any thread. The applied image and the applied term/index
 * change together under {@code applyLock}, so a snapshot never holds state past its index.
 *
 * <p>Apply is total for every batch this version can decode: a refused batch is a result message, never an
 * exception. The one exception is an entry that does not decode (a newer version's record): that is thrown, which
 * stops the Ratis server, because skipping it would silently diverge from the other replicas.
 *
 * <p>Lifecycle (ratis.md §2): {@code initialize} runs inside {@code startAndTransition}; {@code pause} moves to
 * PAUSED and {@code reinitialize} reloads the installed snapshot and returns to RUNNING, which snapshot installation
 * on a follower requires.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<Consumer<ClusterImage>> listeners = new CopyOnWriteArrayList<>();
    private final Object applyLock = new Object();
    private final Object publishLock = new Object();
    /** Recently applied entries, served to broker-only nodes ({@link MetadataFeed}). */
    private final RecentBatches recent = new RecentBatches(4096);
    /** The state built from the log (controller fields unset); guarded by applyLock for writes. */
    private volatile ClusterImage logImage = ClusterImage.empty();
    /** logImage plus the controller id and epoch: what {@link #image()} returns. */
    private volatile ClusterImage published = ClusterImage.empty();
    private volatile int controllerId = -1;
    /** The highest term applied: the term of the current leader once its first entry has been applied. */
    private volatile long controllerEpoch;
    private volatile Runnable leaderReadyHook = () -> { };
    private volatile IntConsumer leaderChangedHook = nodeId -> { };
    private volatile Function<Message, CompletableFuture<Message>> queryHandler =
            request -> CompletableFuture.failedFuture(new StateMachineException("Queries are not supported"));

    /** The latest image, with the controller as last notified. */
    ClusterImage image() {
        return published;
    }

    void addListener(Consumer<ClusterImage> listener) {
        listeners.add(listener);
    }

    /** Runs (quickly, without blocking) each time this node becomes a ready leader. */
    void onLeaderReady(Runnable hook) {
        this.leaderReadyHook = hook;
    }

    /**
     * Runs (quickly, without blocking, on a Ratis thread) with the new leader's node id each time Ratis reports a
     * new leader ({@code notifyLeaderChanged}: an RPC from it arrived, or this node won an election).
     */
    void onLeaderChanged(IntConsumer hook) {
        this.leaderChangedHook = hook;
    }

    /**
     * What a broker-only node needs to catch up from {@code afterIndex}: null when nothing newer was applied, the
     * entries after it when still kept, else the whole image (to install as a snapshot).
     */
    MetadataFeed.Batch since(long afterIndex) {
        synchronized (applyLock) {
            ClusterImage image = logImage;
            if (image.appliedIndex() <= afterIndex) {
                return null;
            }
            List<RecentBatches.Entry> entries = recent.since(afterIndex);
            return entries == null ? new MetadataFeed.Batch(image, List.of()) : new MetadataFeed.Batch(null, entries);
        }
    }

    RecentBatches recent() {
        return recent;
    }

    /**
     * On a broker-only node: the image followed from a voter, with the controller the voter reported. Listeners are
     * called when the applied index moved.
     */
    void observe(ClusterImage image, int newControllerId, long newControllerEpoch) {
        boolean moved;
        synchronized (applyLock) {
            moved = image.appliedIndex() != logImage.appliedIndex();
            logImage = image;
            controllerId = newControllerId;
            raiseControllerEpoch(newControllerEpoch);
        }
        ClusterImage published = publish();
        if (moved) {
            notifyListeners(published);
        }
    }

    /** Serves read-only queries (controller requests forwarded to this leader, see {@link ControllerRpc}). */
    void onQuery(Function<Message, CompletableFuture<Message>> handler) {
        this.queryHandler = handler;
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        }, IOException.class);
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
        notifyListeners(published);
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            LOGGER.info("No metadata snapshot; replaying the whole log");
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MD5Hash expected = snapshot.getFile().getFileDigest();
        if (expected != null && !expected.equals(MD5FileUtil.computeMd5ForFile(file))) {
            throw new IOException("Metadata snapshot " + file + " does not match its md5");
        }
        ClusterImage image = ImageSnapshot.read(file.toPath());
        synchronized (applyLock) {
            logImage = image;
            recent.reset(image.appliedIndex());
            setLastAppliedTermIndex(snapshot.getTermIndex());
            raiseControllerEpoch(snapshot.getTerm());
        }
        publish();
        LOGGER.info("Loaded metadata snapshot termIndex={} topics={} brokers={}", snapshot.getTermIndex(),
                image.topics().size(), image.brokers().size());
    }

    /** Leader only: refuses, before it reaches the log, an entry that this version cannot decode. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            MetadataRecordCodec.decode(request.getMessage().getContent().toByteArray());
        } catch (MetadataCodecException e) {
            trx.setException(new StateMachineException("Undecodable metadata batch: " + e.getMessage()));
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        List<MetadataRecord> batch;
        byte[] bytes = entry.getStateMachineLogEntry().getLogData().toByteArray();
        try {
            batch = MetadataRecordCodec.decode(bytes);
        } catch (MetadataCodecException e) {
            LOGGER.error("Cannot decode metadata log entry term={} index={}; stopping this replica", term, index, e);
            throw e;
        }
        ApplyOutcome outcome;
        synchronized (applyLock) {
            ClusterImage current = logImage;
            outcome = ImageApplier.apply(current, batch, index);
            logImage = switch (outcome) {
                case ApplyOutcome.Applied applied -> applied.image();
                case ApplyOutcome.Refused ignored -> ImageApplier.advance(current, index);
            };
            raiseControllerEpoch(term);
            updateLastAppliedTermIndex(term, index);
            recent.add(index, bytes);
        }
        ClusterImage image = publish();
        recent.signal();
        if (outcome instanceof ApplyOutcome.Refused refused) {
            LOGGER.debug("Refused metadata batch index={} error={} reason={}", index, refused.error(),
                    refused.message());
        } else {
            notifyListeners(image);
        }
        return CompletableFuture.completedFuture(ApplyReply.encode(outcome));
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (applyLock) {
            super.notifyTermIndexUpdated(term, index);
            raiseControllerEpoch(term);
        }
        publish();
    }

    @Override
    public long takeSnapshot() throws IOException {
        ClusterImage image;
        TermIndex termIndex;
        synchronized (applyLock) {
            image = logImage;
            termIndex = getLastAppliedTermIndex();
        }
        if (termIndex == null || termIndex.getIndex() <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(termIndex.getTerm(), termIndex.getIndex());
        ImageSnapshot.write(image, file.toPath());
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), termIndex));
        LOGGER.info("Took metadata snapshot termIndex={} file={}", termIndex, file);
        return termIndex.getIndex();
    }

    /** Not used: reads are served from {@link #image()}. Fails fast rather than parking (ratis.md §2). */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        return CompletableFuture.failedFuture(new StateMachineException("Stale reads are not supported"));
    }

    /** Controller requests that are not log entries (registrations, heartbeats), reaching the leader. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            return queryHandler.apply(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        int leader = newLeaderId == null ? -1 : RatisSettings.nodeId(newLeaderId);
        controllerId = leader;
        publish();
        LOGGER.info("Metadata controller is now node {} (member {})", leader, groupMemberId);
        try {
            leaderChangedHook.accept(leader);
        } catch (RuntimeException e) {
            LOGGER.warn("Leader-changed hook failed", e);
        }
    }

    @Override
    public void notifyLeaderReady() {
        try {
            leaderReadyHook.run();
        } catch (RuntimeException e) {
            LOGGER.warn("Leader-ready hook failed", e);
        }
    }

    private void raiseControllerEpoch(long term) {
        if (term > controllerEpoch) {
            controllerEpoch = term;
        }
    }

    private ClusterImage publish() {
        synchronized (publishLock) {
            ClusterImage image = logImage.withController(controllerId, controllerEpoch);
            published = image;
            return image;
        }
    }

    private void notifyListeners(ClusterImage image) {
        for (Consumer<ClusterImage> listener : listeners) {
            try {
                listener.accept(image);
            } catch (RuntimeException e) {
                LOGGER.warn("Metadata listener {} failed at appliedIndex={}", listener, image.appliedIndex(), e);
            }
        }
    }
}
