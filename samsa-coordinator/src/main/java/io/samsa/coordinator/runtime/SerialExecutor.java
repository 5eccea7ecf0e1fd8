package io.samsa.coordinator.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs tasks on a shared pool, one at a time per key, in submission order. The coordinator runtime runs each shard
 * on it keyed by the shard's partition ({@link CoordinatorRuntime}). Produce requests use it keyed by
 * connection: a producer pipelines up to {@code max.in.flight.requests.per.connection} requests, and their batches
 * must reach the log in the order they were sent, as Kafka guarantees by handling one request per connection at a
 * time. Different keys run in parallel.
 *
 * <p>Thread-safe. An idle key holds no memory.
 */
public final class SerialExecutor {
    private final Executor pool;
    private final ConcurrentHashMap<Object, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code task} on the pool after every task submitted earlier with the same key has finished (whatever
     * their outcome), and after {@code ready} completes (normally or not).
     */
    public <T> CompletableFuture<T> submit(Object key, CompletableFuture<?> ready, Supplier<T> task) {
        CompletableFuture<T>[] holder = new CompletableFuture[1];
        tails.compute(key, (k, tail) -> {
            CompletableFuture<?> previous = tail == null ? ready : CompletableFuture.allOf(quiet(tail), quiet(ready));
            holder[0] = quiet(previous).thenApplyAsync(v -> task.get(), pool);
            return holder[0];
        });
        CompletableFuture<T> mine = holder[0];
        mine.whenComplete((v, e) -> tails.remove(key, mine));
        return mine;
    }

    /**
     * Like {@link #submit}, but the key's next task waits until the future {@code task} returns completes, not just
     * until {@code task} returns: for work that continues asynchronously (a produce request waiting for its
     * transaction verification, KIP-890) and must still reach the log before the key's next task.
     */
    public <T> CompletableFuture<T> submitAsync(Object key, CompletableFuture<?> ready,
                                                Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T>[] holder = new CompletableFuture[1];
        tails.compute(key, (k, tail) -> {
            CompletableFuture<?> previous = tail == null ? ready : CompletableFuture.allOf(quiet(tail), quiet(ready));
            holder[0] = quiet(previous).thenComposeAsync(v -> task.get(), pool);
            return holder[0];
        });
        CompletableFuture<T> mine = holder[0];
        mine.whenComplete((v, e) -> tails.remove(key, mine));
        return mine;
    }

    private static CompletableFuture<Void> quiet(CompletableFuture<?> f) {
        return f.handle((v, e) -> null);
    }
}
