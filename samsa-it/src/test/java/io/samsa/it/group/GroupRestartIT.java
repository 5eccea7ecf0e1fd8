package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.EmbeddedSamsa;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker restart replays {@code __consumer_offsets}: every committed offset and every group survives. */
class GroupRestartIT {
    @TempDir
    Path dir;

    @Test
    void everyCommittedOffsetSurvivesABrokerRestart() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "8"))) {
            samsa.createTopic("kept", 3, Map.of());
            Map<String, Map<TopicPartition, OffsetAndMetadata>> expected = new HashMap<>();
            try (Admin admin = samsa.admin()) {
                for (int g = 0; g < 20; g++) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (int p = 0; p < 3; p++) {
                        offsets.put(new TopicPartition("kept", p), new OffsetAndMetadata(g * 10L + p,
                                java.util.Optional.empty(), "meta-" + g));
                    }
                    admin.alterConsumerGroupOffsets("group-" + g, offsets).all().get();
                    expected.put("group-" + g, offsets);
                }
                // a group's offsets rewritten, another's deleted: the last write wins after replay
                Map<TopicPartition, OffsetAndMetadata> rewritten = Map.of(new TopicPartition("kept", 0),
                        new OffsetAndMetadata(999, java.util.Optional.empty(), "again"));
                admin.alterConsumerGroupOffsets("group-0", rewritten).all().get();
                expected.get("group-0").putAll(rewritten);
                admin.deleteConsumerGroups(List.of("group-19")).all().get();
                expected.remove("group-19");
            }

            samsa.restart();

            try (Admin admin = samsa.admin()) {
                for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> e : expected.entrySet()) {
                    assertThat(admin.listConsumerGroupOffsets(e.getKey()).partitionsToOffsetAndMetadata().get())
                            .as(e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(admin.listGroups().all().get().stream().map(GroupListing::groupId))
                        .contains("group-0", "group-18").doesNotContain("group-19");
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("group-1")).describedGroups()
                        .get("group-1").get();
                assertThat(d.groupState().toString()).isEqualTo("Empty");
            }
        }
    }
}
