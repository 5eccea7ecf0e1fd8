package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.SegmentFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at each stage of the cleaner's swap protocol, simulated by leaving the files that stage leaves: reopening
 * must give a readable log with the same log end offset and the same latest value of every key.
 */
class CleanerCrashTest {
    static final TopicPartition TP = new TopicPartition("table", 0);
    static final LogConfig CONFIG = LogConfig.defaults().withCompact(true).withDelete(false).withSegmentBytes(1024)
            .withSegmentMs(1000);

    /** Where the cleaning of the first segment group stopped. */
    enum Stage {
        /** writing {@code .cleaned} files (torn) */
        WRITING_CLEANED,
        /** {@code .cleaned} renamed to {@code .swap}; old segments still in place */
        SWAP_WRITTEN,
        /** old segments renamed to {@code .deleted}; {@code .swap} not yet renamed */
        OLD_SEGMENTS_DELETED,
        /** {@code .swap} renamed into place; {@code .deleted} files not yet removed */
        SWAP_RENAMED
    }

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(Stage.class)
    void aCrashAtAnyStageLeavesAReadableLogWithEveryLatestValue(Stage stage) throws Exception {
        // Given a compacted log whose segments hold a few batches each (rolled by segment.ms)
        MockTime time = new MockTime(1_700_000_000_000L);
        Path original = root.resolve("original");
        LogManager manager = LogManager.open(List.of(original), CONFIG, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), CONFIG);
        List<KeyedLog.Entry> appended = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            appended.addAll(KeyedLog.append(log, time, 2, 8, i * 20));
            time.advance(1001);
        }
        long logEnd = log.logEndOffset();
        manager.close();

        // and the same log after a full cleaning
        Path cleaned = copy(original, root.resolve("cleaned"));
        manager = LogManager.open(List.of(cleaned), CONFIG, time);
        log = manager.get(TP).orElseThrow();
        manager.cleaner().cleanOnce();
        List<LogSegment> cleanedSegments = log.segments();
        long base = cleanedSegments.get(0).baseOffset();
        long next = cleanedSegments.get(1).baseOffset();
        manager.close();
        assertThat(next).as("the first cleaned group spans several segments").isGreaterThan(20);

        // When the first group's swap crashed at `stage`
        Path work = copy(original, root.resolve(stage.name()));
        Path part = work.resolve("table-0");
        Path cleanedPart = cleaned.resolve("table-0");
        List<Long> replaced = bases(part).stream().filter(b -> b >= base && b < next).toList();
        switch (stage) {
            case WRITING_CLEANED -> {
                Path log0 = cleanedPart.resolve(SegmentFiles.prefix(base) + ".log");
                byte[] bytes = Files.readAllBytes(log0);
                Files.write(part.resolve(SegmentFiles.prefix(base) + ".log.cleaned"),
                        java.util.Arrays.copyOf(bytes, bytes.length / 2));
                Files.copy(cleanedPart.resolve(SegmentFiles.prefix(base) + ".index"),
                        part.resolve(SegmentFiles.prefix(base) + ".index.cleaned"));
            }
            case SWAP_WRITTEN -> copySwap(cleanedPart, part, base);
            case OLD_SEGMENTS_DELETED -> {
                copySwap(cleanedPart, part, base);
                markDeleted(part, replaced);
            }
            case SWAP_RENAMED -> {
                markDeleted(part, replaced);
                for (String suffix : List.of(".log", ".index", ".timeindex")) {
                    Files.copy(cleanedPart.resolve(SegmentFiles.prefix(base) + suffix),
                            part.resolve(SegmentFiles.prefix(base) + suffix));
                }
            }
            default -> throw new IllegalStateException();
        }

        // Then the reopened log is readable, complete and free of temporary files
        manager = LogManager.open(List.of(work), CONFIG, time);
        log = manager.get(TP).orElseThrow();
        List<KeyedLog.Entry> recovered = KeyedLog.read(log);
        assertThat(log.logEndOffset()).isEqualTo(logEnd);
        assertThat(KeyedLog.state(recovered)).isEqualTo(KeyedLog.state(appended));
        assertThat(recovered).extracting(KeyedLog.Entry::offset).isSorted().doesNotHaveDuplicates();
        assertThat(KeyedLog.latestBelow(recovered, logEnd)).containsExactlyElementsOf(
                KeyedLog.latestBelow(appended, logEnd));
        try (Stream<Path> files = Files.list(part)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap") || n.endsWith(".deleted"));
        }
        if (stage != Stage.WRITING_CLEANED) {
            assertThat(bases(part)).doesNotContainAnyElementsOf(replaced.stream().filter(b -> b != base).toList());
        }
        manager.close();
    }

    private static void copySwap(Path from, Path to, long base) throws IOException {
        Files.copy(from.resolve(SegmentFiles.prefix(base) + ".log"), to.resolve(SegmentFiles.prefix(base) + ".log.swap"));
        Files.copy(from.resolve(SegmentFiles.prefix(base) + ".index"),
                to.resolve(SegmentFiles.prefix(base) + ".index.swap"));
    }

    private static void markDeleted(Path part, List<Long> bases) throws IOException {
        for (long b : bases) {
            for (String suffix : List.of(".log", ".index", ".timeindex")) {
                Path file = part.resolve(SegmentFiles.prefix(b) + suffix);
                Files.move(file, file.resolveSibling(file.getFileName() + ".deleted"));
            }
        }
    }

    private static List<Long> bases(Path part) throws IOException {
        try (Stream<Path> files = Files.list(part)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(SegmentFiles::offsetFromFileName).sorted().toList();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}
