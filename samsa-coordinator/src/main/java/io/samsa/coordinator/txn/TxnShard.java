package io.samsa.coordinator.txn;

import io.samsa.coordinator.runtime.CoordinatorShard;
import io.samsa.coordinator.runtime.CoordinatorTimer;
import io.samsa.coordinator.runtime.CoordinatorWriter;
import io.samsa.coordinator.runtime.ShardContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.internals.Topic;

/**
 * The transactional ids of one {@code __transaction_state} partition that this broker leads (Kafka's
 * {@code TransactionStateManager} for one partition), a shard of the coordinator runtime. Every operation runs on the
 * shard's serial executor, one at a time: it validates against the in-memory state, writes the new state
 * ({@link #write}, {@code acks=all}), and only once the write is acknowledged applies it; a failed write changes
 * nothing.
 *
 * <p>Until loaded the shard answers COORDINATOR_LOAD_IN_PROGRESS; after {@link #unload}, NOT_COORDINATOR
 * ({@link ShardContext}), and the requests it holds ({@link #hold}) fail with NOT_COORDINATOR. Thread-safe entry points: {@link #call}, {@link #execute}, {@link #isLoaded},
 * {@link #isClosed}, {@link #coordinatorEpoch}; everything else runs on the executor.
 */
public final class TxnShard implements CoordinatorShard<TransactionLogCodec.Entry> {
    private final ShardContext<TransactionLogCodec.Entry> context;
    private final Consumer<TxnShard> onLoaded;
    private final Map<String, TxnMetadata> txns = new HashMap<>();
    /** Requests waiting for the transaction of their id to complete, per transactional id, in arrival order. */
    private final Map<String, List<Held>> held = new HashMap<>();
    private long holdSeq;

    /** A held request: its timer, what re-runs it, and how it fails when the shard unloads. */
    private record Held(String timerKey, Runnable rerun, Consumer<RuntimeException> fail) {
    }

    /**
     * @param context  the runtime's side of the shard; its epoch is the coordinator epoch written into markers, so
     *                 that partitions reject markers of a deposed coordinator
     * @param onLoaded runs on the shard once it is replayed (the transactions found prepared resend their markers)
     */
    public TxnShard(ShardContext<TransactionLogCodec.Entry> context, Consumer<TxnShard> onLoaded) {
        this.context = context;
        this.onLoaded = onLoaded;
    }

    /** A shard outside a runtime (tests): {@code executor} must be serial. */
    public TxnShard(int partition, int coordinatorEpoch, CoordinatorWriter<TransactionLogCodec.Entry> writer,
                    CoordinatorTimer timer, Executor executor) {
        this(new ShardContext<>(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, partition), coordinatorEpoch,
                executor, timer, writer), shard -> { });
    }

    @Override
    public ShardContext<TransactionLogCodec.Entry> context() {
        return context;
    }

    public int partition() {
        return context.partition();
    }

    public int coordinatorEpoch() {
        return context.epoch();
    }

    public long nowMs() {
        return context.timer().nowMs();
    }

    public boolean isLoaded() {
        return context.isLoaded();
    }

    public boolean isClosed() {
        return context.isClosed();
    }

    /** Runs {@code op} on the shard once loaded; completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> op) {
        return context.call(op);
    }

    /** Runs {@code task} on the shard's executor (loading, timers, marker completions); a closed pool drops it. */
    public void execute(Runnable task) {
        context.execute(task);
    }

    /** The state of {@code transactionalId}, or null. */
    public TxnMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    /** Every transactional id of the partition. */
    public Collection<TxnMetadata> all() {
        return List.copyOf(txns.values());
    }

    /**
     * Writes {@code transit} (prepared from {@code from}) and, once acknowledged, applies it.
     *
     * @return the state now in effect
     * @throws org.apache.kafka.common.errors.ApiException from the write; nothing changed
     */
    public TxnMetadata write(TxnMetadata from, TxnTransit transit) {
        context.append(List.of(new TransactionLogCodec.Entry(from.transactionalId(), transit)));
        TxnMetadata applied = from.complete(transit);
        txns.put(from.transactionalId(), applied);
        return applied;
    }

    /** Keeps {@code metadata} in memory without writing it (a failed fencing write is remembered this way). */
    public void put(TxnMetadata metadata) {
        txns.put(metadata.transactionalId(), metadata);
    }

    /** Writes the tombstone of an expired id and forgets it. */
    public void remove(TxnMetadata metadata) {
        context.append(List.of(new TransactionLogCodec.Entry(metadata.transactionalId(), null)));
        txns.remove(metadata.transactionalId());
    }

    /**
     * Holds a request of {@code transactionalId} until {@link #release} of that id or {@code timeoutMs}, whichever
     * comes first, then runs {@code rerun} on the shard (never on the caller: nothing blocks meanwhile). If the shard
     * unloads first, {@code fail} gets NOT_COORDINATOR instead. Executor only.
     *
     * @param rerun re-runs the request (with its validation) and completes it; must not throw
     */
    public void hold(String transactionalId, long timeoutMs, Runnable rerun, Consumer<RuntimeException> fail) {
        Held h = new Held("txn-hold-" + transactionalId + "-" + holdSeq++, rerun, fail);
        held.computeIfAbsent(transactionalId, k -> new ArrayList<>()).add(h);
        context.timer().schedule(h.timerKey(), timeoutMs, () -> {
            List<Held> waiting = held.get(transactionalId);
            if (waiting != null && waiting.remove(h)) {
                if (waiting.isEmpty()) {
                    held.remove(transactionalId);
                }
                h.rerun().run();
            }
        });
    }

    /** Re-runs the requests held for {@code transactionalId}, in arrival order (its transaction completed). */
    public void release(String transactionalId) {
        List<Held> waiting = held.remove(transactionalId);
        if (waiting == null) {
            return;
        }
        for (Held h : waiting) {
            context.timer().cancel(h.timerKey());
            h.rerun().run();
        }
    }

    /** The number of requests held for {@code transactionalId}. */
    public int heldCount(String transactionalId) {
        List<Held> waiting = held.get(transactionalId);
        return waiting == null ? 0 : waiting.size();
    }

    /** Applies one replayed record (null: a tombstone). Loading only. */
    public void replay(String transactionalId, TxnTransit value) {
        if (value == null || value.state() == TransactionState.DEAD) {
            txns.remove(transactionalId);
        } else {
            txns.put(transactionalId, TxnMetadata.fromLog(transactionalId, value));
        }
    }

    /** Replays a record of the partition (the producer id is -1: the transaction log has no transactions). */
    @Override
    public void replay(TransactionLogCodec.Entry record, long producerId) {
        replay(record.transactionalId(), record.value());
    }

    @Override
    public void onLoaded() {
        onLoaded.accept(this);
    }

    /** Fails the held requests with NOT_COORDINATOR (the runtime calls it on the executor after unloading). */
    @Override
    public void onUnloaded() {
        List<Held> all = new ArrayList<>();
        held.values().forEach(all::addAll);
        held.clear();
        for (Held h : all) {
            context.timer().cancel(h.timerKey());
            h.fail().accept(new NotCoordinatorException("This broker no longer leads " + context.topicPartition()));
        }
    }

    public void markLoaded() {
        context.markLoaded();
    }

    /** Stops serving: later, queued and held operations fail with NOT_COORDINATOR. */
    public void unload() {
        context.unload();
        context.execute(this::onUnloaded);
    }
}
