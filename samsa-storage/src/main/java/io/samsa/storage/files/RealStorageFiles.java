package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.kafka.common.record.internal.FileRecords;

/** {@link StorageFiles} over the operating system's files. Stateless and thread-safe. */
final class RealStorageFiles implements StorageFiles {
    @Override
    public FileRecords openRecords(File file) throws IOException {
        return FileRecords.open(file);
    }

    @Override
    public FileChannel openForWrite(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public boolean createFile(Path file) throws IOException {
        try {
            Files.createFile(file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void forceMapped(Path file, MappedByteBuffer buffer) {
        buffer.force();
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (UnsupportedOperationException e) {
            return; // directories cannot be opened on this platform; renames are still atomic
        }
        // on Linux an open failure (the directory is gone, EIO) means the entries may not be durable: it propagates
        try (channel) {
            channel.force(true);
        }
    }
}
