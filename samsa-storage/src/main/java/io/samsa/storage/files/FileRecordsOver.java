package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.FileChannel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * Builds a kafka-clients {@link FileRecords} over a given {@link FileChannel} (for {@link StorageFiles} layers that
 * wrap the channel). kafka-clients 4.3.1 only exposes {@code FileRecords.open(File, ...)}, which opens its own
 * {@code RandomAccessFile}; its {@code FileRecords(File, FileChannel, int)} constructor is package-private, so it is
 * called reflectively, once per segment opened (never on the append or fetch path). Thread-safe.
 */
public final class FileRecordsOver {
    private static final Constructor<FileRecords> CONSTRUCTOR;

    static {
        try {
            CONSTRUCTOR = FileRecords.class.getDeclaredConstructor(File.class, FileChannel.class, int.class);
            CONSTRUCTOR.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FileRecordsOver() {
    }

    /**
     * A whole-file {@link FileRecords} of {@code file} that reads and writes through {@code channel}; the channel is
     * positioned at its end and closed by {@link FileRecords#close()}.
     */
    public static FileRecords open(File file, FileChannel channel) throws IOException {
        try {
            return CONSTRUCTOR.newInstance(file, channel, Integer.MAX_VALUE);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new KafkaException("cannot open " + file, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot open " + file, e);
        }
    }
}
