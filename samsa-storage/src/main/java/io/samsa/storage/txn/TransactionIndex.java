package io.samsa.storage.txn;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * A segment's aborted-transaction index, {@code <base offset>.txnindex} (Kafka's {@code TransactionIndex}, KIP-98):
 * one fixed-size entry per transaction aborted by an ABORT marker written into this segment, in marker order.
 *
 * <pre>
 * entry (34 bytes, big-endian) = Version i16 (0) | ProducerId i64 | FirstOffset i64 | LastOffset i64 |
 *                                LastStableOffset i64
 * </pre>
 *
 * Kafka's {@code kafka-dump-log --files x.txnindex} reads it. The file is created by the first {@link #append} (most
 * segments never hold an aborted transaction and have none); entries are read from the file once and then kept in
 * memory (34 bytes each).
 *
 * <p>Thread-safe: every method is synchronized (appends come from the log's writer, searches from fetches).
 */
public final class TransactionIndex implements Closeable {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    static final short VERSION = 0;

    private File file;
    private FileChannel channel;
    /** Null until first read from the file. */
    private List<AbortedTxn> entries;

    /** An index backed by {@code file}, which need not exist yet. */
    public TransactionIndex(File file) {
        this.file = file;
    }

    /**
     * Search result of {@link #collect}.
     *
     * @param aborted  the matching entries, in index order
     * @param complete true when an entry's last stable offset reached the upper bound: no later segment can hold an
     *                 aborted transaction starting below it
     */
    public record SearchResult(List<AbortedTxn> aborted, boolean complete) {
    }

    public synchronized File file() {
        return file;
    }

    /**
     * Appends {@code txn}.
     *
     * @throws IllegalArgumentException when its last offset does not follow the previous entry's
     * @throws IOException              when the write fails (the entry is not kept)
     */
    public synchronized void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = load();
        if (!current.isEmpty() && current.getLast().lastOffset() >= txn.lastOffset()) {
            throw new IllegalArgumentException("aborted transaction last offset " + txn.lastOffset()
                    + " does not follow " + current.getLast().lastOffset() + " in " + file);
        }
        FileChannel ch = channel();
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
        buffer.putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset()).putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset()).flip();
        long position = (long) current.size() * ENTRY_SIZE;
        try {
            while (buffer.hasRemaining()) {
                position += ch.write(buffer, position);
            }
        } catch (IOException e) {
            ch.truncate((long) current.size() * ENTRY_SIZE);
            throw e;
        }
        List<AbortedTxn> next = new ArrayList<>(current.size() + 1);
        next.addAll(current);
        next.add(txn);
        entries = next;
    }

    /** Every entry, in index order. */
    public synchronized List<AbortedTxn> all() throws IOException {
        return List.copyOf(load());
    }

    /**
     * The entries overlapping [{@code fetchOffset}, {@code upperBoundOffset}): last offset at or above
     * {@code fetchOffset} and first offset below {@code upperBoundOffset} (Kafka's {@code collectAbortedTxns}).
     */
    public synchronized SearchResult collect(long fetchOffset, long upperBoundOffset) throws IOException {
        List<AbortedTxn> result = new ArrayList<>();
        for (AbortedTxn txn : load()) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                result.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                return new SearchResult(result, true);
            }
        }
        return new SearchResult(result, false);
    }

    /** Removes the entries whose marker is at or above {@code offset} (their marker was truncated away). */
    public synchronized void truncateTo(long offset) throws IOException {
        List<AbortedTxn> current = load();
        int keep = 0;
        while (keep < current.size() && current.get(keep).lastOffset() < offset) {
            keep++;
        }
        if (keep == current.size()) {
            return;
        }
        channel().truncate((long) keep * ENTRY_SIZE);
        entries = new ArrayList<>(current.subList(0, keep));
    }

    /** Removes every entry (before a rebuild by replay). */
    public synchronized void reset() throws IOException {
        if (channel != null || file.exists()) {
            channel().truncate(0);
        }
        entries = new ArrayList<>();
    }

    /** Renames the file (when it exists); the index keeps working under the new name. */
    public synchronized void renameTo(File target) throws IOException {
        if (file.exists()) {
            Files.move(file.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    /** Forces the file to disk (nothing when it was never created). */
    public synchronized void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Closes and deletes the file. */
    public synchronized void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file.toPath());
        entries = new ArrayList<>();
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return channel;
    }

    private List<AbortedTxn> load() throws IOException {
        if (entries != null) {
            return entries;
        }
        List<AbortedTxn> loaded = new ArrayList<>();
        if (file.exists()) {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
            while (buffer.remaining() >= ENTRY_SIZE) {
                short version = buffer.getShort();
                if (version != VERSION) {
                    throw new CorruptRecordException("transaction index " + file + " has an entry of version "
                            + version);
                }
                loaded.add(new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
            }
            if (buffer.hasRemaining()) { // a torn entry: dropped (recovery rebuilds the index of an unflushed segment)
                channel().truncate((long) loaded.size() * ENTRY_SIZE);
            }
        }
        entries = loaded;
        return loaded;
    }
}
