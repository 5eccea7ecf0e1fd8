package io.samsa.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-key order, also across asynchronous work ({@link SerialExecutor#submitAsync}, KIP-890 verification). */
class SerialExecutorTest {
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    final SerialExecutor serial = new SerialExecutor(pool);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theNextTaskOfAKeyWaitsForTheFutureOfAnAsyncTask() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> verification = new CompletableFuture<>();
        CompletableFuture<String> first = serial.submitAsync("conn", CompletableFuture.completedFuture(null),
                () -> verification.thenApply(v -> {
                    order.add("first");
                    return "first";
                }));
        CompletableFuture<String> second = serial.submit("conn", CompletableFuture.completedFuture(null), () -> {
            order.add("second");
            return "second";
        });
        CompletableFuture<String> other = serial.submit("other", CompletableFuture.completedFuture(null), () -> {
            order.add("other");
            return "other";
        });

        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("other"); // other keys do not wait
        assertThat(second).isNotDone();

        verification.complete(null);

        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(order).containsExactly("other", "first", "second");
    }

    @Test
    void aFailedAsyncTaskReleasesTheKey() throws Exception {
        CompletableFuture<String> failed = serial.submitAsync("conn", CompletableFuture.completedFuture(null),
                () -> {
                    throw new IllegalStateException("refused");
                });
        CompletableFuture<String> next = serial.submit("conn", CompletableFuture.completedFuture(null), () -> "next");

        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(failed).isCompletedExceptionally();
    }
}
