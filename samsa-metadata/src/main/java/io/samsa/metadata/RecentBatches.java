package io.samsa.metadata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The last applied log entries (index and encoded batch, refused ones too), kept so that broker-only nodes can
 * follow the metadata without a Raft replica ({@link MetadataFeed}). Covers the indices after {@link #floor()}; older
 * requests get a snapshot of the image instead. Also wakes long-polling fetches when an entry is applied.
 *
 * <p>Thread-safe (synchronized).
 */
final class RecentBatches {
    /** One applied log entry. */
    record Entry(long index, byte[] batch) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long floor;
    private CompletableFuture<Void> nextApply = new CompletableFuture<>();

    RecentBatches(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(long index, byte[] batch) {
        entries.addLast(new Entry(index, batch));
        if (entries.size() > capacity) {
            floor = entries.removeFirst().index();
        }
    }

    /** Forgets every entry: the next ones follow {@code index} (a snapshot was loaded). */
    synchronized void reset(long index) {
        entries.clear();
        floor = index;
    }

    synchronized long floor() {
        return floor;
    }

    /** The entries after {@code index}, in order, or null when some of them are no longer kept. */
    synchronized List<Entry> since(long index) {
        if (index < floor) {
            return null;
        }
        var result = new ArrayList<Entry>();
        for (Entry e : entries) {
            if (e.index() > index) {
                result.add(e);
            }
        }
        return result;
    }

    /** Completes when the next entry has been applied (and published). */
    synchronized CompletableFuture<Void> nextApply() {
        return nextApply;
    }

    /** Called after each apply. */
    void signal() {
        CompletableFuture<Void> done;
        synchronized (this) {
            done = nextApply;
            nextApply = new CompletableFuture<>();
        }
        done.complete(null);
    }
}
