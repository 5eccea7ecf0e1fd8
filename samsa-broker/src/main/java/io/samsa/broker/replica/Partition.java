package io.samsa.broker.replica;

import io.samsa.metadata.IsrMember;
import io.samsa.metadata.PartitionImage;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.VerificationGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition this broker hosts, as leader or follower (Kafka's {@code Partition}): the leader and partition epochs
 * and the ISR last seen in the metadata, and, as leader, each follower's log end offset and when it was last caught
 * up; from those the high watermark (the smallest log end offset of the in-sync replicas) and ISR changes proposed to
 * the controller (AlterPartition, KIP-497).
 *
 * <p>The ISR used for the high watermark is the "maximal" one: the committed ISR plus a replica whose addition is
 * pending at the controller (Kafka's {@code PendingExpandIsr}), and the committed ISR while a removal is pending, so
 * the high watermark never passes an offset that a possibly-in-sync replica lacks. An {@code acks=all} append waits
 * until the high watermark passes it ({@link #awaitHighWatermark}).
 *
 * <p>Thread-safe: leadership changes take the write lock; appends, reads of the state and follower fetch updates take
 * the read lock.
 */
public final class Partition {
    private static final Logger LOGGER = LoggerFactory.getLogger(Partition.class);

    /**
     * Sends a proposed ISR to the controller, each member with the broker epoch of its last fetch (KIP-903);
     * completes with the partition as committed, or fails.
     */
    public interface IsrUpdater {
        CompletableFuture<PartitionImage> alterPartition(UUID topicId, int partition, int leaderEpoch,
                                                         int partitionEpoch, List<IsrMember> newIsr);
    }

    /** What a metadata change did to this replica. */
    public enum Transition { NONE, BECAME_LEADER, BECAME_FOLLOWER }

    private final TopicPartition tp;
    private final UUID topicId;
    private final PartitionLog log;
    private final int localId;
    private final IsrUpdater isrUpdater;
    private final IntPredicate brokerUnfenced;
    private final Runnable onHighWatermarkChange;
    private final LongSupplier clockMs;
    private final Executor callbacks;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Integer, FollowerState> followers = new HashMap<>();
    private final PriorityQueue<HighWatermarkWaiter> waiters = new PriorityQueue<>();

    private volatile boolean leader;
    private volatile int leaderId = -1;
    private volatile int leaderEpoch = -1;
    private volatile int partitionEpoch = -1;
    private volatile List<Integer> replicas = List.of();
    private volatile List<Integer> isr = List.of();
    private volatile long leaderEpochStartOffset;
    /**
     * The ISR change proposed to the controller whose outcome is not known yet, or null (Kafka's
     * {@code PendingExpandIsr} / {@code PendingShrinkIsr}, KIP-497). While set, the high watermark counts its maximal
     * ISR and no other change is proposed. Cleared only when that outcome is known: a newer image is applied
     * ({@link #apply}), the controller answers with the committed partition, or it refuses in a way that proves the
     * change was not committed ({@link PendingIsr#notApplied}). After a timeout or another failure of unknown outcome
     * it stays and the same proposal is sent again by the next {@link #maybeShrinkIsr} (the controller may have
     * committed it: going back to the committed ISR could let the high watermark pass a replica the controller added).
     */
    private final AtomicReference<PendingIsr> pendingIsr = new AtomicReference<>();

    public Partition(TopicPartition tp, UUID topicId, PartitionLog log, int localId, IsrUpdater isrUpdater,
                     IntPredicate brokerUnfenced, Runnable onHighWatermarkChange, LongSupplier clockMs,
                     Executor callbacks) {
        this.tp = tp;
        this.topicId = topicId;
        this.log = log;
        this.localId = localId;
        this.isrUpdater = isrUpdater;
        this.brokerUnfenced = brokerUnfenced;
        this.onHighWatermarkChange = onHighWatermarkChange;
        this.clockMs = clockMs;
        this.callbacks = callbacks;
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public UUID topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    public boolean isLeader() {
        return leader;
    }

    /** The leader's node id per the last applied metadata (-1 when none). */
    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    /** The committed ISR (node ids). */
    public List<Integer> isr() {
        return isr;
    }

    /**
     * Whether the state of {@code p} (or a newer one) is already applied. Read under the lock, so a concurrent
     * {@link #apply} is either wholly visible or not at all.
     */
    public boolean hasApplied(PartitionImage p) {
        lock.readLock().lock();
        try {
            return leaderEpoch > p.leaderEpoch()
                    || (leaderEpoch == p.leaderEpoch() && partitionEpoch >= p.partitionEpoch());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies the partition's state from a metadata image (Kafka's {@code makeLeader} / {@code makeFollower}). An
     * image older than the state already applied (lower leader or partition epoch) is ignored; a newer one resolves
     * the pending ISR change (see {@link #pendingIsr}), the same one again leaves it pending. Becoming leader with a
     * new leader epoch records the epoch's start offset (the log end offset) in the leader epoch cache and restarts
     * the followers' catch-up clocks; becoming follower fails every waiting {@code acks=all} append.
     */
    public Transition apply(PartitionImage p) {
        Transition transition;
        lock.writeLock().lock();
        try {
            if (p.leaderEpoch() < leaderEpoch
                    || (p.leaderEpoch() == leaderEpoch && p.partitionEpoch() < partitionEpoch)) {
                return Transition.NONE;
            }
            boolean newLeaderEpoch = p.leaderEpoch() != leaderEpoch;
            if (newLeaderEpoch || p.partitionEpoch() != partitionEpoch) {
                // a newer image resolves whatever was pending: committed or not, its outcome is in there. The same
                // image again (a delayed copy) says nothing about a change proposed since: it stays pending
                pendingIsr.set(null);
            }
            replicas = List.copyOf(p.replicas());
            isr = List.copyOf(p.isr());
            partitionEpoch = p.partitionEpoch();
            leaderEpoch = p.leaderEpoch();
            leaderId = p.leader();
            if (p.leader() == localId) {
                transition = !leader || newLeaderEpoch ? Transition.BECAME_LEADER : Transition.NONE;
                if (transition == Transition.BECAME_LEADER) {
                    long now = clockMs.getAsLong();
                    leaderEpochStartOffset = log.logEndOffset();
                    log.assignEpochStartOffset(p.leaderEpoch(), leaderEpochStartOffset);
                    followers.clear();
                    for (int r : p.replicas()) {
                        if (r != localId) {
                            followers.put(r, new FollowerState(p.isr().contains(r) ? now : 0));
                        }
                    }
                    LOGGER.info("Leader of {} at leader epoch {} from offset {} isr={}", tp, leaderEpoch,
                            leaderEpochStartOffset, isr);
                } else {
                    followers.keySet().retainAll(p.replicas());
                    for (int r : p.replicas()) {
                        if (r != localId) {
                            followers.computeIfAbsent(r, k -> new FollowerState(0));
                        }
                    }
                }
                leader = true;
            } else {
                transition = leader || newLeaderEpoch ? Transition.BECAME_FOLLOWER : Transition.NONE;
                leader = false;
                followers.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (leader) {
            maybeIncrementHighWatermark();
        } else if (transition == Transition.BECAME_FOLLOWER) {
            failWaiters(new NotLeaderOrFollowerException("Broker " + localId + " is no longer the leader of " + tp));
        }
        return transition;
    }

    /**
     * Appends a produce batch as leader, stamping the leader epoch, and moves the high watermark if it can (one
     * replica in the ISR); the caller wakes the fetches parked on the partition.
     *
     * @param minIsr for {@code acks=all}: the {@code min.insync.replicas} to require of the committed ISR first; 0 to
     *               skip the check
     * @throws NotLeaderOrFollowerException this broker does not lead the partition (any more)
     * @throws NotEnoughReplicasException   the ISR is smaller than {@code minIsr}: nothing was appended
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int minIsr) {
        return appendAsLeader(records, minIsr, AppendOrigin.CLIENT);
    }

    /**
     * {@link #appendAsLeader(MemoryRecords, int)} on behalf of {@code origin} (a coordinator's batch or a transaction
     * marker, KIP-98; see {@link PartitionLog#appendAsLeader(MemoryRecords, int, AppendOrigin)}).
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int minIsr, AppendOrigin origin) {
        return appendAsLeader(records, minIsr, origin, null);
    }

    /** The same for a client batch verified with the transaction coordinator (KIP-890; null: no verification). */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int minIsr, AppendOrigin origin,
                                        VerificationGuard guard) {
        LogAppendInfo info;
        lock.readLock().lock();
        try {
            if (!leader) {
                throw new NotLeaderOrFollowerException("Broker " + localId + " is not the leader of " + tp);
            }
            List<Integer> inSync = isr;
            if (inSync.size() < minIsr) {
                throw new NotEnoughReplicasException("The size of the current ISR " + inSync + " is insufficient to "
                        + "satisfy the min.isr requirement of " + minIsr + " for partition " + tp);
            }
            info = log.appendAsLeader(records, leaderEpoch, origin, guard);
        } finally {
            lock.readLock().unlock();
        }
        advanceHighWatermark(); // the caller wakes the parked fetches (at once, or after its request's last append)
        return info;
    }

    /**
     * Appends batches fetched from the leader, as they are. Ignored (returns null) when this replica is no longer a
     * follower at {@code fetchLeaderEpoch}.
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records, int fetchLeaderEpoch) {
        lock.readLock().lock();
        try {
            if (leader || leaderEpoch != fetchLeaderEpoch) {
                return null;
            }
            return log.appendAsFollower(records);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Records a follower's fetch (Kafka's {@code updateFollowerFetchState}): its fetch offset is its log end offset;
     * it counts as caught up at this fetch when it asked for everything the leader had, or at its previous fetch
     * when it now asks for at least what the leader had then. Then considers adding it to the ISR and moving the high
     * watermark.
     *
     * @param brokerEpoch the follower's broker epoch named in the fetch ({@code ReplicaState.ReplicaEpoch}, Fetch
     *                    v15+, KIP-903), -1 when none
     * @return false when this broker does not lead the partition or {@code replicaId} is not one of its replicas
     * @throws NotLeaderOrFollowerException when the fetch names an earlier broker epoch than one already recorded
     *                                      for the follower (sent before it restarted), as Kafka's
     *                                      {@code Replica.updateFetchStateOrThrow}; nothing is recorded
     */
    public boolean updateFollowerFetchState(int replicaId, long brokerEpoch, long fetchOffset, long leaderEndOffset,
                                            long fetchTimeMs) {
        lock.readLock().lock();
        try {
            FollowerState f = leader ? followers.get(replicaId) : null;
            if (f == null) {
                return false;
            }
            if (!f.update(fetchOffset, brokerEpoch, leaderEndOffset, fetchTimeMs)) {
                throw new NotLeaderOrFollowerException("Fetch of " + tp + " from broker " + replicaId
                        + " names broker epoch " + brokerEpoch + ", older than its last fetch's " + f.brokerEpoch());
            }
        } finally {
            lock.readLock().unlock();
        }
        maybeExpandIsr(replicaId);
        maybeIncrementHighWatermark();
        return true;
    }

    /** The offset up to which this leader's own copy counts for the high watermark: fsynced ones in durable mode. */
    private long localEnd() {
        return log.config().flushMessages() == 1 ? log.recoveryPoint() : log.logEndOffset();
    }

    /**
     * Moves the high watermark to the smallest log end offset of the maximal ISR, if that is higher; then completes
     * the {@code acks=all} appends it passed and wakes the fetches parked on this partition.
     */
    public void maybeIncrementHighWatermark() {
        if (advanceHighWatermark()) {
            onHighWatermarkChange.run();
        }
    }

    /** {@link #maybeIncrementHighWatermark()} without waking the parked fetches; true when the high watermark moved. */
    private boolean advanceHighWatermark() {
        long before;
        long after;
        lock.readLock().lock();
        try {
            if (!leader) {
                return false;
            }
            long candidate = localEnd();
            for (int r : maximalIsr()) {
                if (r != localId) {
                    FollowerState f = followers.get(r);
                    candidate = Math.min(candidate, f == null ? -1 : f.logEndOffset());
                }
            }
            before = log.highWatermark();
            if (candidate <= before) {
                return false;
            }
            log.updateHighWatermark(candidate);
            after = log.highWatermark();
        } finally {
            lock.readLock().unlock();
        }
        if (after > before) {
            completeWaiters(after);
            return true;
        }
        return false;
    }

    /**
     * {@code ids} each with the broker epoch of its last fetch (-1 for this leader, whose epoch the request names
     * already, and for a follower that has not fetched under this leader). Call under the lock.
     */
    private List<IsrMember> withEpochs(List<Integer> ids) {
        List<IsrMember> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            FollowerState f = id == localId ? null : followers.get(id);
            out.add(new IsrMember(id, f == null ? IsrMember.UNKNOWN_EPOCH : f.brokerEpoch()));
        }
        return List.copyOf(out);
    }

    private Set<Integer> maximalIsr() {
        Set<Integer> out = new LinkedHashSet<>(isr);
        PendingIsr pending = pendingIsr.get();
        if (pending != null) {
            out.addAll(pending.maximalIsr());
        }
        return out;
    }

    /**
     * Proposes adding a caught-up, unfenced follower to the ISR (Kafka's {@code maybeExpandIsr}), named with the
     * broker epoch of the fetch that showed it caught up (KIP-903). A follower whose fetches name no broker epoch
     * (sent before it registered) is not proposed: the controller could not tell them from an earlier incarnation's.
     */
    private void maybeExpandIsr(int replicaId) {
        PendingIsr pending;
        lock.readLock().lock();
        try {
            if (!leader || pendingIsr.get() != null || isr.contains(replicaId)) {
                return;
            }
            FollowerState f = followers.get(replicaId);
            long hw = log.highWatermark();
            if (f == null || f.logEndOffset() < hw || f.logEndOffset() < leaderEpochStartOffset
                    || f.brokerEpoch() == IsrMember.UNKNOWN_EPOCH || !brokerUnfenced.test(replicaId)) {
                return;
            }
            List<Integer> proposal = new ArrayList<>(isr);
            proposal.add(replicaId);
            // the addition counts for the high watermark at once: the controller may commit it any time now
            pending = new PendingIsr("expand", withEpochs(proposal), List.copyOf(proposal), isr, leaderEpoch,
                    partitionEpoch);
            if (!pendingIsr.compareAndSet(null, pending)) {
                return; // another thread proposed first (both under the read lock)
            }
        } finally {
            lock.readLock().unlock();
        }
        submit(pending);
    }

    /**
     * Proposes removing followers that have not caught up within {@code lagTimeMaxMs} (Kafka's
     * {@code maybeShrinkIsr}, {@code replica.lag.time.max.ms}). Called periodically; also sends again a pending
     * proposal whose last attempt ended without a known outcome (a timeout, a lost connection), as Kafka's
     * {@code AlterPartitionManager} retries such a request.
     */
    public void maybeShrinkIsr(long lagTimeMaxMs) {
        PendingIsr pending;
        lock.readLock().lock();
        try {
            if (!leader) {
                return;
            }
            PendingIsr current = pendingIsr.get();
            if (current != null) {
                if (current.leaderEpoch() != leaderEpoch || current.partitionEpoch() != partitionEpoch
                        || !current.retryDue().compareAndSet(true, false)) {
                    return;
                }
                pending = current;
            } else {
                long now = clockMs.getAsLong();
                List<Integer> proposal = new ArrayList<>(isr.size());
                for (int r : isr) {
                    FollowerState f = followers.get(r);
                    if (r == localId || (f != null && now - f.lastCaughtUpTimeMs() <= lagTimeMaxMs)) {
                        proposal.add(r);
                    }
                }
                if (proposal.size() == isr.size()) {
                    return;
                }
                // the removal is not effective for the high watermark until committed: the maximal ISR is the old one
                pending = new PendingIsr("shrink", withEpochs(proposal), isr, isr, leaderEpoch, partitionEpoch);
                if (!pendingIsr.compareAndSet(null, pending)) {
                    return;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        submit(pending);
    }

    /**
     * Sends {@code pending} to the controller and resolves it from the answer, as Kafka's
     * {@code Partition.handleAlterPartitionUpdate} / {@code handleAlterPartitionError} do. An answer touches the
     * state only while {@code pending} is still the pending change (the very object): once an image was applied or
     * another change proposed, the answer is out of date and ignored. A committed partition becomes the ISR; a refusal
     * proving nothing was committed ({@link PendingIsr#notApplied}) goes back to the committed ISR; a refusal saying
     * our state is stale (another leader or partition epoch, unknown partition) keeps the pending ISR until the image
     * that moved it on arrives; any other failure keeps it and marks it to be sent again.
     */
    private void submit(PendingIsr pending) {
        LOGGER.info("Proposing to {} the ISR of {} from {} to {} (leader epoch {}, partition epoch {}{})",
                pending.what(), tp, pending.committedIsr(), pending.proposal(), pending.leaderEpoch(),
                pending.partitionEpoch(), pending.attempts() > 0 ? ", attempt " + (pending.attempts() + 1) : "");
        pending.attempt();
        CompletableFuture<PartitionImage> sent;
        try {
            sent = isrUpdater.alterPartition(topicId, tp.partition(), pending.leaderEpoch(), pending.partitionEpoch(),
                    pending.members());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenCompleteAsync((committed, failure) -> {
            Throwable error = PendingIsr.unwrap(failure);
            String outcome;
            lock.writeLock().lock();
            try {
                if (pendingIsr.get() != pending) {
                    outcome = "ignored (out of date: the pending ISR changed since)";
                } else if (error == null && committed != null) {
                    if (leader && committed.leaderEpoch() == leaderEpoch
                            && committed.partitionEpoch() > partitionEpoch) {
                        isr = List.copyOf(committed.isr());
                        partitionEpoch = committed.partitionEpoch();
                    }
                    pendingIsr.set(null);
                    outcome = "committed";
                } else if (PendingIsr.notApplied(error)) {
                    pendingIsr.set(null);
                    outcome = "refused, not applied: back to the committed ISR " + isr;
                } else if (PendingIsr.stale(error)) {
                    outcome = "refused, our state is stale: pending until the next metadata";
                } else {
                    pending.retryDue().set(true);
                    outcome = "outcome unknown: pending, to be sent again";
                }
            } finally {
                lock.writeLock().unlock();
            }
            if (error != null || committed == null) {
                LOGGER.info("ISR change of {} to {} {}: {}", tp, pending.proposal(), outcome, error);
            } else {
                LOGGER.info("ISR change of {} to {} {}: now {} (partition epoch {})", tp, pending.proposal(), outcome,
                        committed.isr(), committed.partitionEpoch());
            }
            maybeIncrementHighWatermark();
        }, callbacks);
    }

    /**
     * Completes when the high watermark reaches {@code offset} (exclusive end of an appended batch); fails with
     * {@link NotLeaderOrFollowerException} when this broker stops leading first. The caller bounds the wait.
     */
    public CompletableFuture<Void> awaitHighWatermark(long offset) {
        if (log.highWatermark() >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        HighWatermarkWaiter waiter = new HighWatermarkWaiter(offset, new CompletableFuture<>());
        synchronized (waiters) {
            waiters.add(waiter);
        }
        // the high watermark may have passed, or leadership moved, between the check and the registration
        if (!leader) {
            failWaiters(new NotLeaderOrFollowerException("Broker " + localId + " is not the leader of " + tp));
        } else {
            completeWaiters(log.highWatermark());
        }
        return waiter.future();
    }

    private void completeWaiters(long highWatermark) {
        List<HighWatermarkWaiter> done = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && (waiters.peek().offset() <= highWatermark || waiters.peek().future().isDone())) {
                done.add(waiters.poll());
            }
        }
        done.forEach(w -> w.future().complete(null));
    }

    private void failWaiters(RuntimeException e) {
        List<HighWatermarkWaiter> all;
        synchronized (waiters) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(w -> w.future().completeExceptionally(e));
    }

    /** The {@code acks=all} appends waiting for the high watermark (Kafka's produce purgatory), for metrics. */
    public int waitingAppends() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    /** The replicas per the last applied metadata (node ids). */
    public List<Integer> replicas() {
        return replicas;
    }

    /** Drops waiters that completed otherwise (timed out). Called periodically. */
    public void purgeCompletedWaiters() {
        synchronized (waiters) {
            waiters.removeIf(w -> w.future().isDone());
        }
    }

    /**
     * Stops leading and fails every waiting append (the partition is deleted or moved away, or the broker stops). An
     * append racing the close (past its leader check before it) fails its wait when it registers, instead of waiting
     * out the request timeout for a high watermark that will never move.
     */
    public void close() {
        lock.writeLock().lock();
        try {
            leader = false;
            followers.clear();
        } finally {
            lock.writeLock().unlock();
        }
        failWaiters(new NotLeaderOrFollowerException("Partition " + tp + " is no longer hosted on broker " + localId));
    }

    /**
     * The in-sync followers that have at least {@code offset}, with their log end offsets and ms since last caught
     * up (KIP-392 read replica candidates).
     */
    public Map<Integer, long[]> inSyncFollowersAt(long offset) {
        lock.readLock().lock();
        try {
            Map<Integer, long[]> out = new HashMap<>();
            long now = clockMs.getAsLong();
            for (int r : isr) {
                FollowerState f = followers.get(r);
                if (r != localId && f != null && f.logEndOffset() >= offset) {
                    out.put(r, new long[] {f.logEndOffset(), Math.max(0, now - f.lastCaughtUpTimeMs())});
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Partition(" + tp + ", leader=" + leaderId + ", leaderEpoch=" + leaderEpoch + ", partitionEpoch="
                + partitionEpoch + ", isr=" + isr + ", replicas=" + replicas + ")";
    }

    private record HighWatermarkWaiter(long offset, CompletableFuture<Void> future)
            implements Comparable<HighWatermarkWaiter> {
        @Override
        public int compareTo(HighWatermarkWaiter o) {
            return Long.compare(offset, o.offset);
        }
    }
}
