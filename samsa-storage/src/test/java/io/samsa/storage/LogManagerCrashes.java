package io.samsa.storage;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Test access, for other modules' tests, to a process crash of a {@link LogManager} (no flush, no checkpoint). */
public final class LogManagerCrashes {
    private LogManagerCrashes() {
    }

    /**
     * See {@link LogManager#crashForTesting()}: releases locks and file handles without flushing anything. First
     * lets the background flushes of rolled segments already queued finish, so that what a crash keeps depends on the
     * operations done, not on the flusher threads' timing (deterministic simulations replay exactly).
     */
    public static void crashAfterQueuedFlushes(LogManager manager) throws IOException {
        try {
            Field field = LogManager.class.getDeclaredField("background");
            field.setAccessible(true);
            ExecutorService background = (ExecutorService) field.get(manager);
            background.shutdown();
            if (!background.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException("the background flushes did not finish");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LogManager's flusher pool moved: update this helper", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        manager.crashForTesting();
    }
}
