package io.samsa.broker.replica;

import io.samsa.broker.net.InterBrokerSecurity;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.memory.MemoryPool;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.NetworkReceive;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * A blocking request/response connection from a follower to one leader broker, on kafka-clients' {@code NetworkClient}
 * (as Kafka's {@code BrokerBlockingSender}): connects on first use, negotiates API versions, and sends one request at
 * a time. Not thread-safe except {@link #wakeup()}: one fetcher thread owns it.
 */
public final class LeaderEndpoint implements AutoCloseable {
    /** Kafka's {@code connections.max.idle.ms} default; a follower fetches continuously anyway. */
    private static final long CONNECTION_MAX_IDLE_MS = 9 * 60 * 1000L;
    private final Node node;
    private final NetworkClient client;
    private final Metrics metrics = new Metrics();
    private final int requestTimeoutMs;
    private final Time time = Time.SYSTEM;

    /**
     * The replica fetcher's connection: its responses are read into one reused direct buffer
     * ({@link ReusableReceiveBuffer}), so a response's records must be appended before the next {@link #send}.
     */
    LeaderEndpoint(int localId, int leaderId, String host, int port, InterBrokerSecurity security,
                   int requestTimeoutMs) {
        this("samsa-replica-fetcher-" + localId, localId, leaderId, host, port, security, requestTimeoutMs,
                new ReusableReceiveBuffer());
    }

    /** A PLAINTEXT connection to broker {@code leaderId} whose requests carry {@code clientId}. */
    public LeaderEndpoint(String clientId, int localId, int leaderId, String host, int port, String listenerName,
                          int requestTimeoutMs) {
        this(clientId, localId, leaderId, host, port, InterBrokerSecurity.plaintext(listenerName), requestTimeoutMs);
    }

    /**
     * A connection to broker {@code leaderId} whose requests carry {@code clientId} (e.g. forwarded admin calls), with
     * the inter-broker listener's security protocol.
     */
    public LeaderEndpoint(String clientId, int localId, int leaderId, String host, int port,
                          InterBrokerSecurity security, int requestTimeoutMs) {
        this(clientId, localId, leaderId, host, port, security, requestTimeoutMs, MemoryPool.NONE);
    }

    private LeaderEndpoint(String clientId, int localId, int leaderId, String host, int port,
                           InterBrokerSecurity security, int requestTimeoutMs, MemoryPool receiveMemory) {
        this.node = new Node(leaderId, host, port);
        this.requestTimeoutMs = requestTimeoutMs;
        LogContext logContext = new LogContext("[ReplicaFetcher replicaId=" + localId + ", leaderId=" + leaderId + "] ");
        ChannelBuilder channels = security.channelBuilder(logContext);
        Selector selector = new Selector(NetworkReceive.UNLIMITED, CONNECTION_MAX_IDLE_MS, metrics, time,
                "replica-fetcher", Map.of(), true, false, channels, receiveMemory, logContext);
        this.client = new NetworkClient(selector, new ManualMetadataUpdater(), clientId,
                1, 50, 1_000, 64 * 1024, 64 * 1024, requestTimeoutMs, 10_000, 30_000, time, true,
                new ApiVersions(), logContext, MetadataRecoveryStrategy.NONE);
    }

    /** "host:port" of the leader. */
    String address() {
        return node.host() + ":" + node.port();
    }

    /**
     * Sends one request and waits for its response (at most the request timeout after connecting).
     *
     * @throws IOException the connection failed or was closed, or the leader does not support any version of the API
     */
    public AbstractResponse send(AbstractRequest.Builder<?> request) throws IOException {
        return exchange(request).responseBody();
    }

    /**
     * {@link #send}, with the request header of the exchange (the negotiated version).
     *
     * @throws IOException as {@link #send}
     */
    ClientResponse exchange(AbstractRequest.Builder<?> request) throws IOException {
        if (!NetworkClientUtils.awaitReady(client, node, time, requestTimeoutMs)) {
            throw new SocketTimeoutException("Failed to connect to " + address() + " within " + requestTimeoutMs
                    + " ms");
        }
        ClientRequest clientRequest = client.newClientRequest(node.idString(), request, time.milliseconds(), true,
                requestTimeoutMs, null);
        ClientResponse response = NetworkClientUtils.sendAndReceive(client, clientRequest, time);
        if (response.versionMismatch() != null) {
            throw new IOException("Leader " + address() + " does not support " + request.apiKey(),
                    response.versionMismatch());
        }
        if (response.wasDisconnected() || response.wasTimedOut() || !response.hasResponse()) {
            throw new IOException("No response from " + address() + " to " + request.apiKey());
        }
        return response;
    }

    /** Drops the connection; the next {@link #send} reconnects. */
    void disconnect() {
        client.close(node.idString());
    }

    /** Interrupts a blocked {@link #send} (from another thread). */
    void wakeup() {
        client.wakeup();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception ignored) {
            // closing a half-open socket: nothing to do
        }
        metrics.close();
    }
}
