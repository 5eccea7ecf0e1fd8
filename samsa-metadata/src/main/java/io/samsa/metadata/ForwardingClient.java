package io.samsa.metadata;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis client a node uses to reach the metadata leader, replaced when it breaks. Ratis 3.3.0 closes an async
 * client's request window for good once one request exhausts its retry policy (a leader away for longer than the
 * retries, e.g. a voter stopping): every later request then fails at once with {@link AlreadyClosedException}
 * ("SlidingWindow$Client:... is closed"), which would cut a broker off from the controller until it restarts. A call
 * that fails that way swaps in a fresh client; the caller's own retry (heartbeats, ISR proposals, the writer's
 * re-plans) then goes through it.
 *
 * <p>Thread-safe.
 */
final class ForwardingClient implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ForwardingClient.class);

    private final Supplier<RaftClient> factory;
    private volatile RaftClient current;
    private volatile boolean closed;

    ForwardingClient(Supplier<RaftClient> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    /** Runs {@code call} on the current client, replacing the client when the call finds it closed. */
    <T> CompletableFuture<T> call(Function<RaftClient, CompletableFuture<T>> call) {
        RaftClient client = current;
        CompletableFuture<T> result;
        try {
            result = call.apply(client);
        } catch (RuntimeException e) {
            replaceIfBroken(client, e);
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> {
            if (e != null) {
                replaceIfBroken(client, e);
            }
        });
    }

    private void replaceIfBroken(RaftClient broken, Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (!(e instanceof AlreadyClosedException) || closed) {
            return;
        }
        synchronized (this) {
            if (closed || current != broken) {
                return;
            }
            LOGGER.info("Replacing the metadata client after it closed: {}", e.getMessage());
            current = factory.get();
        }
        try {
            broken.close();
        } catch (IOException | RuntimeException ignored) {
            // already broken
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        current.close();
    }
}
