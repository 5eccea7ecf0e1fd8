package io.samsa.storage.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.EpochEndOffset;
import io.samsa.storage.EpochEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader epoch cache and its {@code leader-epoch-checkpoint} file (KIP-101/KIP-279), on real files. */
class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    LeaderEpochCache empty() {
        return new LeaderEpochCache(new LeaderEpochCheckpointFile(dir), List.of(), List.of());
    }

    String file() throws Exception {
        return Files.readString(dir.resolve("leader-epoch-checkpoint"), StandardCharsets.UTF_8);
    }

    @Test
    void assignKeepsOnlyNewerEpochsAndWritesKafkasFormatByteForByte() throws Exception {
        // Given an empty cache
        LeaderEpochCache cache = empty();

        // When epochs are assigned as appends and leader changes would
        assertThat(cache.assign(0, 0)).isTrue();
        assertThat(cache.assign(0, 5)).as("same epoch, later offset: no change").isFalse();
        assertThat(cache.assign(2, 10)).isTrue();
        assertThat(cache.assign(1, 20)).as("older epoch: ignored").isFalse();
        assertThat(cache.assign(4, 30)).isTrue();
        assertThat(dir.resolve("leader-epoch-checkpoint")).as("written by the append that follows").doesNotExist();
        cache.persist();

        // Then the cache and the file hold them in Kafka's CheckpointFile format
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 10),
                new EpochEntry(4, 30));
        assertThat(cache.latestEpoch()).hasValue(4);
        assertThat(file()).isEqualTo("0\n3\n0 0\n2 10\n4 30\n");
        assertThat(dir.resolve("leader-epoch-checkpoint.tmp")).doesNotExist();
    }

    @Test
    void aNewEpochReplacesOlderEntriesStartingAtOrAfterItsStartOffset() throws Exception {
        // Given epochs 1 at 0, 2 at 10 and 3 at 20
        LeaderEpochCache cache = empty();
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);

        // When epoch 5 is assigned at offset 10 (epochs 2 and 3 wrote nothing that is still in the log)
        cache.assign(5, 10);
        cache.persist();

        // Then they are replaced, in memory and on disk
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(5, 10));
        assertThat(file()).isEqualTo("0\n2\n1 0\n5 10\n");
    }

    @Test
    void endOffsetForFollowsKip279() throws Exception {
        // Given KIP-279's leader: epochs 1 at 0, 2 at 100, 4 at 150, log end offset 200
        LeaderEpochCache cache = empty();
        cache.assign(1, 0);
        cache.assign(2, 100);
        cache.assign(4, 150);

        // Then the latest epoch ends at the log end offset
        assertThat(cache.endOffsetFor(4, 200)).hasValue(new EpochEndOffset(4, 200));
        // an older epoch ends where the next cached epoch starts
        assertThat(cache.endOffsetFor(1, 200)).hasValue(new EpochEndOffset(1, 100));
        assertThat(cache.endOffsetFor(2, 200)).hasValue(new EpochEndOffset(2, 150));
        // an epoch the leader never wrote: the largest epoch below it, ending where the next starts
        assertThat(cache.endOffsetFor(3, 200)).hasValue(new EpochEndOffset(2, 150));
        // an epoch above every cached one, or undefined: UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET
        assertThat(cache.endOffsetFor(5, 200)).isEmpty();
        assertThat(cache.endOffsetFor(-1, 200)).isEmpty();
        // an epoch below every cached one (its data left the log): the first cached epoch's start offset
        assertThat(cache.endOffsetFor(0, 200)).hasValue(new EpochEndOffset(0, 0));
        // an empty cache knows nothing
        assertThat(new LeaderEpochCache(new LeaderEpochCheckpointFile(dir.resolve("x")), List.of(), List.of())
                .endOffsetFor(0, 10)).isEmpty();
    }

    @Test
    void truncateFromEndAndFromStart() throws Exception {
        // Given epochs 1 at 0, 2 at 100, 3 at 150
        LeaderEpochCache cache = empty();
        cache.assign(1, 0);
        cache.assign(2, 100);
        cache.assign(3, 150);

        // When the log is truncated to 150 (exclusive end) and its start moves to 120
        assertThat(cache.truncateFromEnd(150)).isTrue();
        assertThat(cache.truncateFromEnd(150)).isFalse();
        assertThat(cache.truncateFromStart(120)).isTrue();
        cache.persist();

        // Then epoch 3 is gone and epoch 2, which covers the new start, starts there
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 120));
        assertThat(file()).isEqualTo("0\n1\n2 120\n");
        assertThat(cache.truncateFromStart(120)).as("exclusive: the entry at the start stays").isFalse();
        assertThat(cache.truncateFromStart(50)).isFalse();
    }

    @Test
    void loadDropsEntriesBeyondTheLogAndBelowItsStart() throws Exception {
        // Given a checkpoint written before a truncation whose own write was lost
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n4\n0 0\n1 40\n3 80\n5 120\n");

        // When loaded for a log [50, 100)
        LeaderEpochCache cache = LeaderEpochCache.load(dir, new io.samsa.storage.segment.LogSegments(), 50, 100);

        // Then only what the log holds remains; the file is left as it was (a load writes nothing: Kafka's deferred
        // flush), so loading it again gives the same cache
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 50), new EpochEntry(3, 80));
        assertThat(file()).isEqualTo("0\n4\n0 0\n1 40\n3 80\n5 120\n");
        assertThat(LeaderEpochCache.load(dir, new io.samsa.storage.segment.LogSegments(), 50, 100).entries())
                .containsExactly(new EpochEntry(1, 50), new EpochEntry(3, 80));

        // and the next append writes it first; a flush too, as the file misses epoch 1's new start
        assertThat(cache.assign(3, 100)).isFalse();
        cache.persist();
        assertThat(file()).isEqualTo("0\n2\n1 50\n3 80\n");
    }

    @Test
    void aFlushWritesNoEntryThatDescribesNoData() throws Exception {
        // Given a log [0, 100) whose file names epoch 5 at its end (a leadership that wrote nothing), loaded
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n3\n0 0\n1 40\n5 100\n");
        LeaderEpochCache cache = LeaderEpochCache.load(dir, new io.samsa.storage.segment.LogSegments(), 0, 100);
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(1, 40));

        // When the broker leads at epoch 6 from the log end, and the log is flushed (a clean close)
        assertThat(cache.assign(6, 100)).isTrue();
        cache.flush(100);

        // Then the file is untouched: it and the cache agree on every entry below the log end
        assertThat(file()).isEqualTo("0\n3\n0 0\n1 40\n5 100\n");
        assertThat(cache.endOffsetFor(1, 100)).hasValue(new EpochEndOffset(1, 100));

        // and once data of epoch 6 lands (the append persists first), a flush at the new end keeps it
        cache.persist();
        cache.flush(103);
        assertThat(file()).isEqualTo("0\n3\n0 0\n1 40\n6 100\n");
    }

    @Test
    void aMalformedFileIsAStorageError() throws Exception {
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n2\n0 0\n");
        assertThatThrownBy(() -> new LeaderEpochCheckpointFile(dir).read()).isInstanceOf(KafkaStorageException.class);
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "1\n0\n");
        assertThatThrownBy(() -> new LeaderEpochCheckpointFile(dir).read()).isInstanceOf(KafkaStorageException.class);
        assertThat(new LeaderEpochCheckpointFile(dir.resolve("missing")).read()).isEqualTo(Optional.empty());
    }

    @Test
    void negativeEntriesAreRefused() {
        LeaderEpochCache cache = empty();
        assertThatThrownBy(() -> cache.assign(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.assign(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.entries()).isEmpty();
    }
}
