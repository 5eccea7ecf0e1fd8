package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecordCodec;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How a broker-only node ({@code process.roles=broker}, not a voter) follows the metadata without a Raft replica
 * (ADR 0002): it long-polls the leader's state machine through Ratis' read-only path with "entries after index X"
 * ({@link ControllerRpc.Fetch}); the leader answers with the applied entries it still keeps ({@link RecentBatches})
 * or, when X is older, the whole image as a snapshot, or after {@code waitMs} with nothing. The follower applies
 * them with the same {@link ImageApplier} (so it computes the same image, refusals included) and calls the same
 * listeners.
 *
 * <pre>
 * reply := 3 controllerId:int32 controllerEpoch:int64 kind:int8
 *          kind 0: count:int32 (index:int64 length:int32 batch)*       entries (possibly none)
 *          kind 1: index:int64 length:int32 batch                        the whole image as records
 * </pre>
 */
final class MetadataFeed {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetadataFeed.class);

    /** What to send: a snapshot image (entries empty) or entries (snapshot null). */
    record Batch(ClusterImage snapshot, List<RecentBatches.Entry> entries) {
    }

    private MetadataFeed() {
    }

    /**
     * The broker-only nodes fetching from this leader, for DescribeQuorum's observers (Kafka lists the brokers that
     * fetch the metadata log). Forgotten after a minute without a fetch. Thread-safe.
     */
    static final class Observers {
        private static final long FORGET_AFTER_MS = 60_000;
        private final ConcurrentHashMap<Integer, QuorumInfo.ReplicaInfo> fetchers =
                new ConcurrentHashMap<>();

        /** Records a fetch by {@code nodeId} from {@code afterIndex} when the leader had applied {@code applied}. */
        void fetched(int nodeId, long afterIndex, long applied, long nowMs) {
            fetchers.compute(nodeId, (id, previous) -> new QuorumInfo.ReplicaInfo(id, afterIndex, nowMs,
                    afterIndex >= applied ? nowMs : previous == null ? -1 : previous.lastCaughtUpTimestampMs()));
        }

        List<QuorumInfo.ReplicaInfo> current(long nowMs) {
            fetchers.values().removeIf(r -> nowMs - r.lastFetchTimestampMs() > FORGET_AFTER_MS);
            return fetchers.values().stream()
                    .sorted(Comparator.comparingInt(QuorumInfo.ReplicaInfo::replicaId)).toList();
        }
    }

    /** Serves a fetch on a voter: at once when something newer is applied, else when it is, or after the wait. */
    static CompletableFuture<Message> serve(MetadataStateMachine stateMachine, ControllerRpc.Fetch fetch,
                                            IntSupplier controllerId, LongSupplier controllerEpoch) {
        Batch batch = stateMachine.since(fetch.afterIndex());
        if (batch != null) {
            return CompletableFuture.completedFuture(encode(controllerId.getAsInt(), controllerEpoch.getAsLong(),
                    batch));
        }
        CompletableFuture<Void> next = stateMachine.recent().nextApply().copy();
        Batch raced = stateMachine.since(fetch.afterIndex());
        if (raced != null) {
            return CompletableFuture.completedFuture(encode(controllerId.getAsInt(), controllerEpoch.getAsLong(),
                    raced));
        }
        return next.completeOnTimeout(null, fetch.waitMs(), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> encode(controllerId.getAsInt(), controllerEpoch.getAsLong(),
                        stateMachine.since(fetch.afterIndex())));
    }

    static Message encode(int controllerId, long controllerEpoch, Batch batch) {
        var bytes = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(3);
            out.writeInt(controllerId);
            out.writeLong(controllerEpoch);
            if (batch != null && batch.snapshot() != null) {
                out.writeByte(1);
                out.writeLong(batch.snapshot().appliedIndex());
                byte[] records = MetadataRecordCodec.encode(ImageSnapshot.records(batch.snapshot()));
                out.writeInt(records.length);
                out.write(records);
            } else {
                List<RecentBatches.Entry> entries = batch == null ? List.of() : batch.entries();
                out.writeByte(0);
                out.writeInt(entries.size());
                for (RecentBatches.Entry e : entries) {
                    out.writeLong(e.index());
                    out.writeInt(e.batch().length);
                    out.write(e.batch());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    /** Applies a fetch reply onto {@code image}: the image and controller it describes. */
    static void applyReply(MetadataStateMachine stateMachine, Message reply) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(reply.getContent().toByteArray()));
        if (in.readByte() != 3) {
            ControllerRpc.decodeReply(reply); // throws the error it carries
            throw new IOException("Unexpected metadata feed reply");
        }
        int controllerId = in.readInt();
        long controllerEpoch = in.readLong();
        ClusterImage image = stateMachine.image();
        if (in.readByte() == 1) {
            long index = in.readLong();
            List<MetadataRecord> records = MetadataRecordCodec.decode(in.readNBytes(in.readInt()));
            image = switch (ImageApplier.apply(ClusterImage.empty(), records, index)) {
                case ApplyOutcome.Applied applied -> applied.image();
                case ApplyOutcome.Refused refused -> throw new IOException("Snapshot does not apply: "
                        + refused.message());
            };
        } else {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long index = in.readLong();
                List<MetadataRecord> records = MetadataRecordCodec.decode(in.readNBytes(in.readInt()));
                if (index <= image.appliedIndex()) {
                    continue;
                }
                ClusterImage before = image;
                image = switch (ImageApplier.apply(before, records, index)) {
                    case ApplyOutcome.Applied applied -> applied.image();
                    case ApplyOutcome.Refused ignored -> ImageApplier.advance(before, index);
                };
            }
        }
        stateMachine.observe(image, controllerId, controllerEpoch);
    }

    /**
     * The loop of a broker-only node: one outstanding fetch at a time, the next sent as soon as one is applied;
     * after a failure (no leader, timeout) retried every 200 ms.
     */
    static final class Follower {
        private final ForwardingClient client;
        private final MetadataStateMachine stateMachine;
        private final ScheduledExecutorService executor;
        private final int waitMs;
        private final int nodeId;
        private volatile boolean closed;

        Follower(int nodeId, ForwardingClient client, MetadataStateMachine stateMachine, ScheduledExecutorService executor,
                 int waitMs) {
            this.nodeId = nodeId;
            this.client = client;
            this.stateMachine = stateMachine;
            this.executor = executor;
            this.waitMs = waitMs;
        }

        void start() {
            executor.execute(this::poll);
        }

        void close() {
            closed = true;
        }

        private void poll() {
            if (closed) {
                return;
            }
            long after = stateMachine.image().appliedIndex();
            client.call(c -> c.async().sendReadOnly(ControllerRpc.encode(new ControllerRpc.Fetch(nodeId, after, waitMs))))
                    .whenComplete((reply, error) -> {
                        if (closed) {
                            return;
                        }
                        try {
                            if (error != null) {
                                throw error;
                            }
                            if (!reply.isSuccess()) {
                                throw reply.getException();
                            }
                            applyReply(stateMachine, reply.getMessage());
                            executor.execute(this::poll);
                        } catch (Throwable t) {
                            LOGGER.debug("Metadata fetch after index {} failed: {}", after, t.toString());
                            executor.schedule(this::poll, 200, TimeUnit.MILLISECONDS);
                        }
                    });
        }
    }
}
