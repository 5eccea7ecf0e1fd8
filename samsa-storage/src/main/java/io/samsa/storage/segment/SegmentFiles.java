package io.samsa.storage.segment;

import java.io.File;
import java.nio.file.Path;

/**
 * File names of Kafka's on-disk layout ({@code LogFileUtils}): a segment's files are named by its base offset padded to
 * 20 digits, e.g. {@code 00000000000000000042.log}.
 */
public final class SegmentFiles {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String TXN_INDEX_SUFFIX = ".txnindex";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String CLEANED_SUFFIX = ".cleaned";
    public static final String SWAP_SUFFIX = ".swap";

    private SegmentFiles() {
    }

    private static final String ZEROS = "00000000000000000000";

    /**
     * {@code offset} zero-padded to 20 digits (a non-negative offset; a negative one keeps its sign, as
     * {@code %020d}). Not {@code String.format}: loading 10,000 partitions names tens of thousands of files.
     */
    public static String prefix(long offset) {
        if (offset < 0) {
            return String.format("%020d", offset);
        }
        String digits = Long.toString(offset);
        return ZEROS.substring(digits.length()) + digits;
    }

    public static File logFile(Path dir, long baseOffset) {
        return dir.resolve(prefix(baseOffset) + LOG_SUFFIX).toFile();
    }

    public static File offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(prefix(baseOffset) + INDEX_SUFFIX).toFile();
    }

    public static File timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(prefix(baseOffset) + TIME_INDEX_SUFFIX).toFile();
    }

    public static File txnIndexFile(Path dir, long baseOffset) {
        return dir.resolve(prefix(baseOffset) + TXN_INDEX_SUFFIX).toFile();
    }

    /** {@code file} with {@code suffix} appended ({@code ""} leaves it unchanged). */
    public static File withSuffix(File file, String suffix) {
        return suffix.isEmpty() ? file : new File(file.getPath() + suffix);
    }

    /** {@code file} without {@code suffix} (unchanged when it does not end with it). */
    public static File withoutSuffix(File file, String suffix) {
        String path = file.getPath();
        return !suffix.isEmpty() && path.endsWith(suffix)
                ? new File(path.substring(0, path.length() - suffix.length())) : file;
    }

    public static File snapshotFile(Path dir, long offset) {
        return dir.resolve(prefix(offset) + SNAPSHOT_SUFFIX).toFile();
    }

    /** The offset a file name starts with ({@code 00000000000000000042.log} gives 42), or -1 when not a number. */
    public static long offsetFromFileName(String name) {
        int dot = name.indexOf('.');
        if (dot != 20) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
