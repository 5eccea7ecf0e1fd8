package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * The file layer under the storage (ADR 0006): every operation whose failure or durability matters goes through it —
 * opening segment {@code .log} files, creating and forcing index files, writing the {@code .tmp} files of checkpoints,
 * producer snapshots and {@code partition.metadata}, atomic renames and directory fsyncs. Appends and fetches use the
 * {@link FileChannel} it returned, so the hot path costs what it did.
 *
 * <p>The real layer ({@link #REAL}) is used everywhere unless a test {@linkplain #install installs} another one for a
 * directory tree: one that fails like a full disk ({@code ENOSPC} after N bytes) or one that records what each fsync
 * covered and, at a simulated power cut, drops everything else.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link IOException} (for example {@code No space left on
 * device}); callers leave the files as they were before the call when it fails.
 */
public interface StorageFiles {
    /** The operating system's files, with no fault injection. */
    StorageFiles REAL = new RealStorageFiles();

    /** Opens (creating when absent) a segment's {@code .log} file for appends and reads, positioned at its end. */
    FileRecords openRecords(File file) throws IOException;

    /** Opens {@code file} for writing from position 0, creating it or truncating it to 0 bytes. */
    FileChannel openForWrite(Path file) throws IOException;

    /**
     * Creates {@code file} when it does not exist (an index file).
     *
     * @return true when it was created
     */
    boolean createFile(Path file) throws IOException;

    /** Forces a memory-mapped file's dirty pages to the device ({@link MappedByteBuffer#force()}). */
    void forceMapped(Path file, MappedByteBuffer buffer) throws IOException;

    /** Renames {@code source} to {@code target} atomically, replacing {@code target} when it exists. */
    void atomicMove(Path source, Path target) throws IOException;

    /**
     * Makes the creations, renames and deletions in {@code dir} durable (fsync of the directory). Platforms that cannot
     * open a directory skip it.
     *
     * @throws IOException when the fsync itself fails: the entries may not be durable
     */
    void fsyncDirectory(Path dir) throws IOException;

    /** The layer for {@code path}: the one installed for the deepest directory containing it, else {@link #REAL}. */
    static StorageFiles of(Path path) {
        List<Installed> installed = Installed.ALL;
        if (installed.isEmpty()) {
            return REAL;
        }
        Path absolute = path.toAbsolutePath().normalize();
        StorageFiles best = REAL;
        int depth = -1;
        for (Installed i : installed) {
            if (absolute.startsWith(i.root()) && i.root().getNameCount() > depth) {
                best = i.files();
                depth = i.root().getNameCount();
            }
        }
        return best;
    }

    /** {@link #of(Path)} for a {@link File}. */
    static StorageFiles of(File file) {
        return of(file.toPath());
    }

    /**
     * Uses {@code files} for every file under {@code root} until the returned handle is closed (tests: fault injection
     * and power-cut simulation).
     */
    static AutoCloseable install(Path root, StorageFiles files) {
        Installed entry = new Installed(root.toAbsolutePath().normalize(), files);
        Installed.ALL.add(entry);
        return () -> Installed.ALL.remove(entry);
    }

    /** A layer installed for a directory tree. */
    record Installed(Path root, StorageFiles files) {
        static final List<Installed> ALL = new CopyOnWriteArrayList<>();
    }
}
