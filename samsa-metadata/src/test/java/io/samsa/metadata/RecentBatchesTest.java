package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;
import io.samsa.metadata.record.MetadataRecordCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The feed a broker-only node follows: kept entries, the snapshot fallback, and applying replies. */
class RecentBatchesTest {
    @Test
    void keepsTheLastEntriesAndSaysWhenOlderOnesAreGone() {
        var recent = new RecentBatches(2);
        recent.add(3, new byte[] {1});
        recent.add(5, new byte[] {2});
        recent.add(6, new byte[] {3});

        assertThat(recent.floor()).isEqualTo(3);
        assertThat(recent.since(3)).extracting(RecentBatches.Entry::index).containsExactly(5L, 6L);
        assertThat(recent.since(5)).extracting(RecentBatches.Entry::index).containsExactly(6L);
        assertThat(recent.since(2)).isNull();
    }

    @Test
    void aFollowerAppliesEntriesAndSnapshotsToTheSameImage() throws Exception {
        // Given a source image built from two batches
        ClusterImage base = Images.builder().brokers(1).build();
        List<MetadataRecord> batch = List.of(new TopicRecord("t", new UUID(3, 3)),
                new MetadataRecord.PartitionRecord(new UUID(3, 3), 0, List.of(1), List.of(1), 1, 0, 0));
        ClusterImage source = Images.applied(base, batch);
        var entry = new RecentBatches.Entry(source.appliedIndex(), MetadataRecordCodec.encode(batch));

        // When a follower at the base image gets the entry
        var follower = new MetadataStateMachine();
        MetadataFeed.applyReply(follower, MetadataFeed.encode(-1, 0, new MetadataFeed.Batch(base, List.of())));
        MetadataFeed.applyReply(follower, MetadataFeed.encode(7, 3, new MetadataFeed.Batch(null, List.of(entry))));

        // Then it has the same image and the controller the voter reported
        assertThat(follower.image().withController(-1, 0)).isEqualTo(source.withController(-1, 0));
        assertThat(follower.image().controllerId()).isEqualTo(7);
        assertThat(follower.image().controllerEpoch()).isEqualTo(3);

        // And a snapshot of the source installs the same image on a fresh follower
        var fresh = new MetadataStateMachine();
        MetadataFeed.applyReply(fresh, MetadataFeed.encode(7, 3, new MetadataFeed.Batch(source, List.of())));
        assertThat(fresh.image()).isEqualTo(follower.image());
    }
}
