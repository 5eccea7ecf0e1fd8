package io.samsa.storage.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link PowerCutFiles} keeps at a cut: a file's content as of its last fsync, truncations included. */
class PowerCutFilesTest {
    @TempDir
    Path dir;
    Path file;
    PowerCutFiles files;

    @BeforeEach
    void durableFile() throws Exception {
        file = dir.resolve("data");
        files = new PowerCutFiles(dir, Long.MAX_VALUE);
        try (FileChannel channel = files.openForWrite(file)) {
            channel.write(bytes("0123456789"));
            channel.force(false);
        }
        files.fsyncDirectory(dir);
    }

    @Test
    void aTruncationWithoutALaterFsyncIsUndone() throws Exception {
        try (FileChannel channel = files.openRecords(file.toFile()).channel()) {
            channel.truncate(4);
            channel.write(bytes("ab"), 4);
        }
        assertThat(content()).isEqualTo("0123ab");

        files.applyCut();

        assertThat(content()).as("old size, old bytes").isEqualTo("0123456789");
    }

    @Test
    void aTruncationFollowedByAnFsyncIsKept() throws Exception {
        try (FileChannel channel = files.openRecords(file.toFile()).channel()) {
            channel.truncate(4);
            channel.force(false);
            channel.write(bytes("ab"), 4); // not fsynced
        }

        files.applyCut();

        assertThat(content()).isEqualTo("0123");
    }

    @Test
    void reopeningForWriteEmptiesTheFileOnlyUntilACut() throws Exception {
        try (FileChannel channel = files.openForWrite(file)) {
            channel.write(bytes("new"));
        }

        files.applyCut();

        assertThat(content()).isEqualTo("0123456789");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private String content() throws Exception {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }
}
