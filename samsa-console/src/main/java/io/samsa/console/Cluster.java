package io.samsa.console;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The console's only way to the cluster: one kafka-clients {@link Admin} (created on first use, shared by every
 * request; Admin is thread-safe) and short-lived consumers for the message browser, all from the same client
 * properties ({@code bootstrap.servers}, security). Every wait is bounded by {@link #TIMEOUT_MS}, so an unreachable
 * cluster costs an HTTP thread at most that long, never forever.
 *
 * <p>Thread-safe.
 */
final class Cluster implements AutoCloseable {
    /** The longest an HTTP request waits for one Admin call, in ms. */
    static final long TIMEOUT_MS = 10_000;

    private final Map<String, Object> clientProps;
    private Admin admin;
    private boolean closed;

    Cluster(Map<String, ?> clientProps) {
        this.clientProps = Map.copyOf(clientProps);
    }

    /** The Admin client, created on first use. */
    synchronized Admin admin() {
        if (closed) {
            throw new ClusterException("The console is shutting down");
        }
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(clientProps);
            props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "samsa-console");
            props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
            props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS - 2_000);
            admin = Admin.create(props);
        }
        return admin;
    }

    /** A new consumer without a group (assign/seek only) for one browse; the caller closes it. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "samsa-console-browser");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        props.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS - 2_000);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // browsing a mistyped name creates nothing
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The future's value, waiting at most {@link #TIMEOUT_MS}.
     *
     * @throws ClusterException with the cause's message when the call failed, timed out or was interrupted
     */
    static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ClusterException(describe(cause), cause);
        } catch (TimeoutException e) {
            throw new ClusterException("The cluster did not answer within " + TIMEOUT_MS / 1000 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("Interrupted", e);
        }
    }

    /** A one-line description of a client failure: the exception's simple name and message. */
    static String describe(Throwable t) {
        String name = t.getClass().getSimpleName().replaceAll("Exception$", "");
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }

    /** A cluster call that failed; its message is shown to the user (escaped). */
    static final class ClusterException extends RuntimeException {
        ClusterException(String message) {
            super(message);
        }

        ClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
