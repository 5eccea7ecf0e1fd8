package io.samsa.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The log manager's thread pools (flusher, recovery, close) and waiting on their tasks. Stateless. */
final class StoragePools {
    private StoragePools() {
    }

    /**
     * The threads that fsync: group-commit rounds ({@code flush.messages}) and the flush of each rolled segment. One
     * round per log runs at a time, so the pool bounds how many logs fsync at once; threads start on demand and stop
     * after a minute idle (none at rest with the default flush settings).
     */
    static ExecutorService flusherPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "samsa-log-flusher-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Waits for every task and returns the present results in order; when tasks failed, throws the first failure
     * (an {@link IOException} as it is, anything else wrapped) once all have finished.
     */
    static <T> List<T> awaitAll(List<Future<Optional<T>>> futures, String what) throws IOException {
        List<T> results = new ArrayList<>();
        Throwable failure = null;
        for (Future<Optional<T>> future : futures) {
            try {
                future.get().ifPresent(results::add);
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(what + " interrupted", e);
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure != null) {
            throw new IOException(what + " failed", failure);
        }
        return results;
    }

    /** Daemon threads named {@code prefix-N}. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
