package io.samsa.broker;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ControllerException;
import io.samsa.metadata.HeartbeatResult;
import io.samsa.metadata.MetadataQuorum;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's membership in the cluster (Kafka's {@code BrokerLifecycleManager}, KIP-631): registers with a fresh
 * incarnation id (a second live process with the same {@code node.id} is refused by the controller), starts fenced,
 * heartbeats every {@code broker.heartbeat.interval.ms} with how far it has applied the metadata log (the controller
 * unfences it once it caught up, and fences it when heartbeats stop for {@code broker.session.timeout.ms}), and on a
 * clean stop asks to shut down so the controller moves its leaderships away first (controlled shutdown).
 *
 * <p>Heartbeats run on the broker's scheduler thread; the futures of the quorum complete on Ratis threads and only
 * schedule the next step. Thread-safe.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerLifecycle.class);
    /** Heartbeat period while waiting to be unfenced or to be allowed to shut down: catching up is quick. */
    private static final long FAST_HEARTBEAT_MS = 50;
    private static final long RETRY_MS = 500;

    private final int nodeId;
    private final MetadataQuorum quorum;
    private final ScheduledExecutorService scheduler;
    private final long heartbeatIntervalMs;
    private final long sessionTimeoutMs;
    private final UUID incarnationId = UUID.randomUUID();
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private final CompletableFuture<Void> shutdownAllowed = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile boolean fenced = true;
    /** {@link System#nanoTime()} of the last heartbeat the controller answered; 0 before the first. */
    private volatile long lastAnsweredNanos;
    private volatile boolean wantShutDown;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> next;

    public BrokerLifecycle(int nodeId, MetadataQuorum quorum, ScheduledExecutorService scheduler,
                           long heartbeatIntervalMs, long sessionTimeoutMs) {
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.scheduler = scheduler;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** The broker epoch the controller gave this incarnation, -1 before registration. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** Whether the controller last said this broker is fenced (it may not lead or join ISRs). */
    public boolean fenced() {
        return fenced;
    }

    /**
     * Milliseconds since the controller last answered a heartbeat (Long.MAX_VALUE before the first): longer than the
     * session timeout means this broker lost the metadata quorum and may be fenced without knowing it.
     */
    public long millisSinceHeartbeatAnswered() {
        long last = lastAnsweredNanos;
        return last == 0 ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
    }

    /** {@code broker.session.timeout.ms}. */
    public long sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /**
     * Registers this broker's endpoints and rack, retrying while the quorum has no leader, then starts heartbeats.
     * DUPLICATE_BROKER_REGISTRATION is retried for one session timeout (plus two heartbeats): an earlier incarnation
     * of this node that crashed holds its registration until its session expires; one that still heartbeats after
     * that is another live process with the same {@code node.id}.
     *
     * @throws IllegalStateException another live broker is registered with this {@code node.id}
     * @throws TimeoutException      no controller accepted the registration within {@code timeoutMs}
     */
    public void register(List<BrokerRegistration.Endpoint> endpoints, String rack, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long duplicateSince = -1;
        while (true) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                brokerEpoch = quorum.registerBroker(nodeId, incarnationId, endpoints, rack)
                        .get(Math.max(1, remaining), TimeUnit.MILLISECONDS);
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ControllerException ce
                        && ce.error() == ControllerException.Error.DUPLICATE_BROKER_REGISTRATION) {
                    long now = System.nanoTime();
                    duplicateSince = duplicateSince < 0 ? now : duplicateSince;
                    if (now - duplicateSince > TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs + 2 * heartbeatIntervalMs)) {
                        throw new IllegalStateException("Another broker with node.id " + nodeId + " is alive in this "
                                + "cluster: stop it, or give this node another node.id (" + ce.getMessage() + ")");
                    }
                }
                if (remaining <= 0) {
                    throw e;
                }
                LOGGER.info("Broker registration not accepted yet nodeId={}: {} (retrying)", nodeId,
                        e.getCause() == null ? e.toString() : e.getCause().toString());
                TimeUnit.MILLISECONDS.sleep(Math.min(RETRY_MS, Math.max(1, remaining)));
            }
        }
        LOGGER.info("Registered broker nodeId={} brokerEpoch={} incarnationId={}", nodeId, brokerEpoch, incarnationId);
        schedule(0);
    }

    /**
     * Whether {@code image} holds this incarnation's registration. Until it does, the image (replayed at start-up) may
     * still name this node leader of what a crashed process with the same {@code node.id} led; the registration record
     * moves those leaderships away in the same batch (Kafka's broker likewise publishes metadata to its replicas only
     * once caught up to its registration, KIP-631). The image holds it at the latest once {@link #awaitUnfenced}
     * returns: the controller unfences a broker only when it has applied the log up to its registration.
     */
    public boolean registeredIn(ClusterImage image) {
        BrokerRegistration registration = image.brokers().get(nodeId);
        return registration != null && incarnationId.equals(registration.incarnationId());
    }

    /** Waits until the controller has unfenced this broker (it caught up with the metadata log). */
    public void awaitUnfenced(long timeoutMs) throws Exception {
        unfenced.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Controlled shutdown: asks the controller to move this broker's leaderships away and waits until it says this
     * broker may stop (or {@code timeoutMs} passes; then the broker stops anyway and the session timeout fences it).
     *
     * @return whether the controller allowed the shutdown in time
     */
    public boolean controlledShutdown(long timeoutMs) {
        if (brokerEpoch < 0 || closed) {
            return false;
        }
        wantShutDown = true;
        schedule(0);
        try {
            shutdownAllowed.get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.warn("Controlled shutdown of broker {} not confirmed within {} ms: stopping anyway", nodeId,
                    timeoutMs);
            return false;
        }
    }

    private void schedule(long delayMs) {
        if (closed) {
            return;
        }
        ScheduledFuture<?> previous = next;
        if (previous != null) {
            previous.cancel(false);
        }
        try {
            next = scheduler.schedule(this::heartbeat, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the broker is stopping
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        boolean shuttingDown = wantShutDown;
        quorum.heartbeat(nodeId, brokerEpoch, quorum.appliedIndex(), shuttingDown).whenComplete((result, error) -> {
            if (closed) {
                return;
            }
            if (error != null) {
                onHeartbeatError(error);
                return;
            }
            onHeartbeat(result);
        });
    }

    private void onHeartbeat(HeartbeatResult result) {
        lastAnsweredNanos = System.nanoTime();
        boolean wasFenced = fenced;
        fenced = result.fenced();
        if (wasFenced && !fenced) {
            LOGGER.info("Broker {} is unfenced (brokerEpoch={})", nodeId, brokerEpoch);
        } else if (!wasFenced && fenced) {
            LOGGER.warn("Broker {} was fenced by the controller (brokerEpoch={}): catching up", nodeId, brokerEpoch);
        }
        if (!fenced) {
            unfenced.complete(null);
        }
        if (result.shouldShutDown()) {
            shutdownAllowed.complete(null);
            return;
        }
        schedule(fenced || wantShutDown ? FAST_HEARTBEAT_MS : heartbeatIntervalMs);
    }

    private void onHeartbeatError(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof ControllerException ce && (ce.error() == ControllerException.Error.STALE_BROKER_EPOCH
                || ce.error() == ControllerException.Error.BROKER_ID_NOT_REGISTERED)) {
            LOGGER.warn("Controller does not know broker {} at epoch {} ({}): it must be restarted to register again",
                    nodeId, brokerEpoch, ce.getMessage());
        } else {
            LOGGER.debug("Heartbeat of broker {} failed: {}", nodeId, cause.toString());
        }
        schedule(Math.min(heartbeatIntervalMs, RETRY_MS));
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> previous = next;
        if (previous != null) {
            previous.cancel(false);
        }
    }
}
