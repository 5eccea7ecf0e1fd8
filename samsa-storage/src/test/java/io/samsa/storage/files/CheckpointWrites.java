package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * A {@link StorageFiles} over another one that counts, per log directory, the writes of its
 * {@code recovery-point-offset-checkpoint} (the renames of the written {@code .tmp} file onto it; the log-start-offset
 * and high-watermark checkpoints are written with it). Thread-safe.
 */
public final class CheckpointWrites implements StorageFiles {
    /** The recovery-point checkpoint's file name in a log directory. */
    public static final String RECOVERY_CHECKPOINT = "recovery-point-offset-checkpoint";

    private final Map<Path, Integer> writes = new ConcurrentHashMap<>();
    private final StorageFiles files;

    /** @param files the layer doing the work, e.g. {@link StorageFiles#REAL} or a {@link PowerCutFiles} */
    public CheckpointWrites(StorageFiles files) {
        this.files = files;
    }

    /** The writes so far by absolute log directory path; directories without any are absent. */
    public Map<Path, Integer> writes() {
        return Map.copyOf(writes);
    }

    /** Forgets the writes counted so far. */
    public void reset() {
        writes.clear();
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        files.atomicMove(source, target);
        if (target.getFileName().toString().equals(RECOVERY_CHECKPOINT)) {
            writes.merge(target.toAbsolutePath().normalize().getParent(), 1, Integer::sum);
        }
    }

    @Override
    public FileRecords openRecords(File file) throws IOException {
        return files.openRecords(file);
    }

    @Override
    public FileChannel openForWrite(Path file) throws IOException {
        return files.openForWrite(file);
    }

    @Override
    public boolean createFile(Path file) throws IOException {
        return files.createFile(file);
    }

    @Override
    public void forceMapped(Path file, MappedByteBuffer buffer) throws IOException {
        files.forceMapped(file, buffer);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        files.fsyncDirectory(dir);
    }
}
