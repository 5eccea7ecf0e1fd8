package io.samsa.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.TestBatches;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index entry that needs a page a full tmpfs cannot allocate: a store into the mapping would raise SIGBUS (an
 * {@code InternalError} in Java, possibly delivered late), so the page is allocated through a channel first and the
 * append fails cleanly with {@code No space left on device}, leaving the segment as it was. Needs root to mount a
 * 1 MiB tmpfs (skipped otherwise).
 */
class LogSegmentFullTmpfsTest {
    @TempDir
    Path dir;
    Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
                "mount -t tmpfs failed");
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", "-l", mount.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static MemoryRecords batch(long lastOffset) {
        MemoryRecords records = TestBatches.withValueSize(1_000, 2, 10);
        records.batches().iterator().next().setLastOffset(lastOffset);
        return records;
    }

    @Test
    void anIndexEntryWithoutRoomOnAFullTmpfsFailsTheAppendAndLeavesTheSegmentAsItWas() throws Exception {
        // Given a segment indexing every batch, its first log page allocated, its index pages not yet
        LogSegment segment = LogSegment.open(mount, 0, 0, 64 * 1024, 0);
        segment.append(1, 1_000, batch(1));
        int size = segment.size();
        // and a tmpfs with no page left
        try (OutputStream filler = Files.newOutputStream(mount.resolve("filler"))) {
            byte[] page = new byte[4096];
            while (true) {
                filler.write(page);
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left on device");
        }

        // When a small batch fits the log's allocated page but its index entry needs a new page
        assertThatThrownBy(() -> segment.append(3, 1_000, batch(3))).isInstanceOf(IOException.class)
                .hasMessageContaining("No space left on device");

        // Then the segment is as it was: same size, same file length, no index entry for the failed batch
        assertThat(segment.size()).isEqualTo(size);
        assertThat(Files.size(segment.file().toPath())).isEqualTo(size);
        assertThat(segment.offsetIndex().entries()).isZero();
        assertThat(segment.readNextOffset()).isEqualTo(2);

        // When space returns, the next append lands right after the last complete batch
        Files.delete(mount.resolve("filler"));
        segment.append(3, 1_000, batch(3));
        assertThat(segment.readNextOffset()).isEqualTo(4);
        assertThat(segment.offsetIndex().entries()).isEqualTo(1);
        segment.close();
    }
}
