package io.samsa.broker.net;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BrokerRequestSender} on kafka-clients' {@link NetworkClient} (Kafka's {@code InterBrokerSendThread}): one
 * I/O thread owns the client, connects to each broker's endpoint on {@code inter.broker.listener.name} as the
 * cluster image advertises it (including this broker's own), negotiates API versions and pipelines requests.
 * {@link #send} only enqueues and wakes the thread.
 *
 * <p>A request waits at most {@code requestTimeoutMs} for its connection and then for its response. Thread-safe.
 */
public final class NetworkBrokerSender implements BrokerRequestSender {
    private static final Logger LOGGER = LoggerFactory.getLogger(NetworkBrokerSender.class);
    /** Kafka's {@code connections.max.idle.ms} default. */
    private static final long CONNECTION_MAX_IDLE_MS = 9 * 60 * 1000L;
    private static final long POLL_MAX_MS = 300;

    private record Pending(int brokerId, AbstractRequest.Builder<?> request, CompletableFuture<AbstractResponse> future,
                           long deadlineMs) {
    }

    private final Supplier<ClusterImage> image;
    private final String listenerName;
    private final int requestTimeoutMs;
    private final Time time = Time.SYSTEM;
    private final Metrics metrics = new Metrics();
    private final NetworkClient client;
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    /** Owned by the I/O thread: requests whose connection is not ready yet. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Owned by the I/O thread: the address each broker was last connected at. */
    private final Map<Integer, Node> nodes = new HashMap<>();
    /** Owned by the I/O thread: requests sent and not answered yet, by correlation id. */
    private final Map<Integer, Pending> pendingByCorrelation = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param localId          this broker's id (the client id and log context)
     * @param image            the current cluster image: where each broker listens
     * @param listenerName     {@code inter.broker.listener.name}
     * @param requestTimeoutMs how long a request may wait for a connection and then for its response
     */
    public NetworkBrokerSender(int localId, Supplier<ClusterImage> image, String listenerName, int requestTimeoutMs) {
        this(localId, image, listenerName, requestTimeoutMs, "samsa-broker-sender");
    }

    /**
     * A sender with its own connections, e.g. for requests a peer may hold (AddPartitionsToTxn), so that their
     * answers, which go out in order per connection, never wait behind them.
     *
     * @param threadName the I/O thread's name, followed by {@code -localId}
     */
    public NetworkBrokerSender(int localId, Supplier<ClusterImage> image, String listenerName, int requestTimeoutMs,
                               String threadName) {
        this(localId, image, InterBrokerSecurity.plaintext(listenerName), requestTimeoutMs, threadName);
    }

    /**
     * A sender connecting with the inter-broker listener's security protocol (TLS/SASL as Kafka's
     * {@code InterBrokerSendThread}).
     *
     * @param security   the inter-broker listener, its protocol and the broker's ssl/sasl keys
     * @param threadName the I/O thread's name, followed by {@code -localId}
     */
    public NetworkBrokerSender(int localId, Supplier<ClusterImage> image, InterBrokerSecurity security,
                               int requestTimeoutMs, String threadName) {
        this.image = image;
        this.listenerName = security.listenerName();
        this.requestTimeoutMs = requestTimeoutMs;
        LogContext logContext = new LogContext("[BrokerSender id=" + localId + "] ");
        ChannelBuilder channels = security.channelBuilder(logContext);
        Selector selector = new Selector(CONNECTION_MAX_IDLE_MS, metrics, time, "broker-sender", channels, logContext);
        this.client = new NetworkClient(selector, new ManualMetadataUpdater(), "samsa-broker-" + localId,
                100, 50, 1_000, 64 * 1024, 64 * 1024, requestTimeoutMs, 10_000, 30_000, time, true,
                new ApiVersions(), logContext, MetadataRecoveryStrategy.NONE);
        this.thread = Thread.ofPlatform().name(threadName + "-" + localId).daemon().unstarted(this::run);
        thread.start();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends AbstractResponse> CompletableFuture<R> send(int brokerId, AbstractRequest.Builder<?> request) {
        CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new DisconnectException("The broker sender is closed"));
        } else {
            incoming.add(new Pending(brokerId, request, future, time.milliseconds() + requestTimeoutMs));
            client.wakeup();
        }
        return (CompletableFuture<R>) future;
    }

    private void run() {
        while (running) {
            try {
                long now = time.milliseconds();
                for (Pending p; (p = incoming.poll()) != null; ) {
                    waiting.add(p);
                }
                sendReady(now);
                List<ClientResponse> responses = client.poll(waiting.isEmpty() ? POLL_MAX_MS : 50, now);
                for (ClientResponse response : responses) {
                    complete(response);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOGGER.warn("Broker sender loop failed; continuing", e);
                }
            }
        }
        DisconnectException closed = new DisconnectException("The broker sender is closed");
        waiting.forEach(p -> p.future().completeExceptionally(closed));
        incoming.forEach(p -> p.future().completeExceptionally(closed));
    }

    private void sendReady(long now) {
        for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            Node node = node(p.brokerId());
            if (node == null) {
                it.remove();
                p.future().completeExceptionally(new BrokerNotAvailableException("Broker " + p.brokerId()
                        + " has no live endpoint on listener " + listenerName));
            } else if (client.ready(node, now)) {
                it.remove();
                long timeout = Math.max(1, p.deadlineMs() - now);
                ClientRequest request = client.newClientRequest(node.idString(), p.request(), now, true,
                        (int) Math.min(Integer.MAX_VALUE, timeout), null);
                pendingByCorrelation.put(request.correlationId(), p);
                client.send(request, now);
            } else if (now >= p.deadlineMs()) {
                it.remove();
                p.future().completeExceptionally(new TimeoutException("Could not connect to broker " + p.brokerId()
                        + " at " + node.host() + ":" + node.port() + " within " + requestTimeoutMs + " ms"));
            } else if (client.connectionFailed(node)) {
                it.remove();
                p.future().completeExceptionally(new DisconnectException("Connection to broker " + p.brokerId()
                        + " at " + node.host() + ":" + node.port() + " failed"));
            }
        }
    }

    private void complete(ClientResponse response) {
        Pending p = pendingByCorrelation.remove(response.requestHeader().correlationId());
        if (p == null) {
            return;
        }
        if (response.versionMismatch() != null) {
            p.future().completeExceptionally(new UnsupportedVersionException("Broker " + p.brokerId()
                    + " does not support " + p.request().apiKey(), response.versionMismatch()));
        } else if (response.wasTimedOut()) {
            p.future().completeExceptionally(new TimeoutException("No response from broker " + p.brokerId()
                    + " to " + p.request().apiKey() + " within " + requestTimeoutMs + " ms"));
        } else if (response.wasDisconnected() || !response.hasResponse()) {
            p.future().completeExceptionally(new DisconnectException("Broker " + p.brokerId()
                    + " disconnected before answering " + p.request().apiKey()));
        } else {
            p.future().complete(response.responseBody());
        }
    }

    /** The broker's current endpoint on the inter-broker listener; a moved broker is reconnected. */
    private Node node(int brokerId) {
        BrokerRegistration broker = image.get().brokers().get(brokerId);
        BrokerRegistration.Endpoint ep = broker == null ? null : broker.endpoints().stream()
                .filter(e -> e.listener().equals(listenerName)).findFirst().orElse(null);
        if (ep == null) {
            return null;
        }
        Node known = nodes.get(brokerId);
        if (known != null && known.host().equals(ep.host()) && known.port() == ep.port()) {
            return known;
        }
        if (known != null) {
            client.close(known.idString()); // the broker restarted elsewhere
        }
        Node node = new Node(brokerId, ep.host(), ep.port());
        nodes.put(brokerId, node);
        return node;
    }

    @Override
    public void close() {
        running = false;
        client.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close();
        } catch (Exception ignored) {
            // already closing
        }
        metrics.close();
    }
}
