package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * A {@link StorageFiles} that simulates a power loss. Each operation through it is an event; at event number
 * {@code cutAtEvent} the power goes off: that operation and every later one fail with an {@link IOException}.
 * {@link #applyCut()} then rewrites the directory tree as a disk would come back: every file this layer saw is
 * replaced by its durable entry and content, which drops every change not covered by an fsync.
 *
 * <p>What is durable when:
 * <ul>
 *   <li>A file's content (its bytes and its size) is what it was at its last fsync (the channel's {@code force}, or
 *       {@code force} of an index mapping); empty when it was never fsynced. Writes, truncations (a channel's
 *       {@code truncate}, {@code openForWrite} emptying an existing file) and size changes of a mapped index
 *       ({@code setLength}, not seen by this layer) become durable only with the next fsync of that file: at a cut,
 *       a file truncated since its last fsync comes back at its old durable size with its old durable bytes (ext4
 *       {@code data=ordered} and XFS can lose an uncommitted truncation with the inode change).</li>
 *   <li>A directory's entries (creations, renames, deletions) are those at its last fsync: a file whose entry was
 *       never fsynced is absent; a file renamed or deleted since comes back under its old name, with the durable
 *       content of its inode (a rename keeps the inode).</li>
 * </ul>
 *
 * <p>Nothing is really fsynced (only recorded), so the simulation is fast. Simplifications: directories themselves
 * are durable; each fsync of a file covers all of it (no partially committed state between two fsyncs); renames done
 * inside kafka-clients ({@code FileRecords.renameTo}: retention, the cleaner) are not seen. Thread-safe.
 */
public final class PowerCutFiles implements StorageFiles {
    /** One file's identity (survives renames). */
    private static final class Inode {
        /** Content (bytes and size) at the last fsync; null: never fsynced. Writes and truncations leave it. */
        byte[] durable;
    }

    private final Path root;
    private final Map<Path, Inode> live = new HashMap<>();
    private final Map<Path, Inode> durableEntries = new HashMap<>();
    private long eventsLeft;
    private long events;
    private boolean off;

    /**
     * @param root       the tree to simulate; files already there are taken as durable
     * @param cutAtEvent the event (1-based) at which the power goes off; {@code Long.MAX_VALUE}: only {@link #cutNow}
     */
    public PowerCutFiles(Path root, long cutAtEvent) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.eventsLeft = cutAtEvent;
        if (Files.exists(this.root)) {
            try (Stream<Path> walk = Files.walk(this.root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    Inode inode = new Inode();
                    inode.durable = Files.readAllBytes(p);
                    live.put(key(p), inode);
                    durableEntries.put(key(p), inode);
                }
            }
        }
    }

    /** Turns the power off now (if it is still on). */
    public synchronized void cutNow() {
        off = true;
    }

    /** True once the power went off. */
    public synchronized boolean isOff() {
        return off;
    }

    /** Events seen (for choosing cut points). */
    public synchronized long events() {
        return events;
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private synchronized void event(String what) throws IOException {
        if (off) {
            throw new IOException("power is off (" + what + ")");
        }
        events++;
        if (--eventsLeft <= 0) {
            off = true;
            throw new IOException("power cut at event " + events + " (" + what + ")");
        }
    }

    private synchronized Inode inode(Path file) throws IOException {
        Path k = key(file);
        Inode inode = live.get(k);
        if (inode == null) {
            inode = new Inode();
            live.put(k, inode);
            if (Files.exists(k) && Files.size(k) > 0 && !durableEntries.containsKey(k)) {
                // a file made outside this layer (e.g. by recovery): as durable as it is now
                inode.durable = Files.readAllBytes(k);
                durableEntries.put(k, inode);
            }
        }
        return inode;
    }

    private synchronized void forced(Path file) throws IOException {
        Inode inode = inode(file);
        inode.durable = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }

    private FileChannel wrap(Path file, FileChannel channel) {
        return new ForwardingFileChannel(channel) {
            @Override
            protected int beforeWrite(int bytes) throws IOException {
                event("write " + file.getFileName());
                return bytes;
            }

            @Override
            protected void beforeForce() throws IOException {
                event("fsync " + file.getFileName());
            }

            @Override
            protected void afterForce() throws IOException {
                forced(file);
            }

            @Override
            protected boolean forwardForce() {
                return false; // durability is simulated: a real fsync would only slow the test down
            }

            @Override
            protected void beforeTruncate(long size) throws IOException {
                event("truncate " + file.getFileName());
                inode(file); // durable only with the next fsync: the durable content stays as it is
            }
        };
    }

    @Override
    public FileRecords openRecords(File file) throws IOException {
        event("open " + file.getName());
        Path path = file.toPath();
        boolean existed = Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        synchronized (this) {
            if (!existed) {
                live.put(key(path), new Inode());
            } else {
                inode(path);
            }
        }
        return FileRecordsOver.open(file, wrap(path, channel));
    }

    @Override
    public FileChannel openForWrite(Path file) throws IOException {
        event("create " + file.getFileName());
        inode(file); // before emptying it, so that a file made outside this layer keeps its content as durable
        FileChannel channel = REAL.openForWrite(file); // emptied: as a truncation, durable only with the next fsync
        return wrap(file, channel);
    }

    @Override
    public boolean createFile(Path file) throws IOException {
        event("create " + file.getFileName());
        boolean created = REAL.createFile(file);
        synchronized (this) {
            if (created) {
                live.put(key(file), new Inode());
            } else {
                inode(file);
            }
        }
        return created;
    }

    @Override
    public void forceMapped(Path file, MappedByteBuffer buffer) throws IOException {
        event("fsync " + file.getFileName());
        forced(file); // the mapping shares the page cache: reading the file sees its stores
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        event("rename " + source.getFileName() + " " + target.getFileName());
        synchronized (this) {
            Inode inode = inode(source);
            REAL.atomicMove(source, target);
            live.remove(key(source));
            live.put(key(target), inode);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        event("fsync dir " + dir.getFileName());
        Path d = key(dir);
        synchronized (this) {
            live.keySet().removeIf(p -> !Files.exists(p)); // deleted outside this layer
            durableEntries.keySet().removeIf(p -> d.equals(p.getParent()) && !live.containsKey(p));
            live.forEach((p, inode) -> {
                if (d.equals(p.getParent())) {
                    durableEntries.put(p, inode);
                }
            });
        }
    }

    /**
     * Rewrites the tree as it is after the power returns: call after the power went off and every file handle was
     * released. Files this layer never saw (e.g. {@code .lock}) are left alone.
     */
    public synchronized void applyCut() {
        off = true;
        try {
            Set<Path> seen = new HashSet<>(live.keySet());
            seen.addAll(durableEntries.keySet());
            for (Path p : seen) {
                Files.deleteIfExists(p);
            }
            for (Map.Entry<Path, Inode> e : durableEntries.entrySet()) {
                byte[] content = e.getValue().durable;
                Files.write(e.getKey(), content == null ? new byte[0] : content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The durable entries (for diagnostics). */
    public synchronized List<Path> durableFiles() {
        return durableEntries.keySet().stream().sorted().toList();
    }

    @Override
    public String toString() {
        return "PowerCutFiles(" + root + ", events=" + events + ", off=" + off + ")";
    }
}
