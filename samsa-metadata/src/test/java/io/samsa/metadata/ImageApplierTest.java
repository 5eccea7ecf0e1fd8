package io.samsa.metadata;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ConfigRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveTopicRecord;
import io.samsa.metadata.record.MetadataRecord.TopicRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Apply semantics, without Ratis: records in, image out. */
class ImageApplierTest {
    private static final UUID ORDERS = new UUID(1, 1);
    private static final UUID PAYMENTS = new UUID(2, 2);
    private long index;

    private ClusterImage applied(ClusterImage image, MetadataRecord... batch) {
        var outcome = ImageApplier.apply(image, List.of(batch), ++index);
        assertThat(outcome).isInstanceOf(ApplyOutcome.Applied.class);
        return ((ApplyOutcome.Applied) outcome).image();
    }

    private ApplyOutcome.Refused refused(ClusterImage image, MetadataRecord... batch) {
        var outcome = ImageApplier.apply(image, List.of(batch), ++index);
        assertThat(outcome).isInstanceOf(ApplyOutcome.Refused.class);
        return (ApplyOutcome.Refused) outcome;
    }

    private ClusterImage twoBrokers() {
        return applied(ClusterImage.empty(),
                new ClusterIdRecord("AAAAAAAAAAAAAAAAAAAAAA"),
                new RegisterBrokerRecord(1, 1, List.of(new Endpoint("PLAINTEXT", "h1", 9092)), null, false),
                new RegisterBrokerRecord(2, 1, List.of(new Endpoint("PLAINTEXT", "h2", 9092)), "r2", false));
    }

    private static MetadataRecord[] createOrders(UUID id) {
        return new MetadataRecord[] {
                new TopicRecord("orders", id),
                new PartitionRecord(id, 0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionRecord(id, 1, List.of(2, 1), List.of(2, 1), 2, 0, 0),
                new ConfigRecord(ConfigResource.topic("orders"), "cleanup.policy", "compact")};
    }

    @Test
    void createTopicBatchAppliesAtomically() {
        // Given
        ClusterImage image = twoBrokers();

        // When
        ClusterImage after = applied(image, createOrders(ORDERS));

        // Then
        TopicImage orders = after.topic("orders").orElseThrow();
        assertThat(orders.topicId()).isEqualTo(ORDERS);
        assertThat(after.topic(ORDERS)).contains(orders);
        assertThat(orders.partitions()).extracting(PartitionImage::leader).containsExactly(1, 2);
        assertThat(after.configs(ConfigResource.topic("orders"))).containsEntry("cleanup.policy", "compact");
        assertThat(after.appliedIndex()).isEqualTo(index);
        assertThat(after.clusterId()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(image.topics()).as("the previous image is untouched").isEmpty();
    }

    @Test
    void duplicateCreateIsRefusedAndLeavesTheImageUnchanged() {
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));

        ApplyOutcome.Refused refusal = refused(image, createOrders(PAYMENTS));

        assertThat(refusal.error()).isEqualTo(Error.TOPIC_ALREADY_EXISTS);
        assertThat(refusal.retriable()).isFalse();
    }

    @Test
    void aBatchIsAllOrNothing() {
        ClusterImage image = twoBrokers();

        // the topic record would apply, the config for an unknown topic does not
        ApplyOutcome.Refused refusal = refused(image,
                new TopicRecord("payments", PAYMENTS),
                new PartitionRecord(PAYMENTS, 0, List.of(1), List.of(1), 1, 0, 0),
                new ConfigRecord(ConfigResource.topic("nope"), "retention.ms", "1"));

        assertThat(refusal.error()).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void topicWithoutPartitionsOrWithGapsIsRefused() {
        assertThat(refused(twoBrokers(), new TopicRecord("t", PAYMENTS)).error()).isEqualTo(Error.INVALID_PARTITIONS);
        assertThat(refused(twoBrokers(), new TopicRecord("t", PAYMENTS),
                new PartitionRecord(PAYMENTS, 1, List.of(1), List.of(1), 1, 0, 0)).error())
                .isEqualTo(Error.INVALID_PARTITIONS);
        assertThat(refused(twoBrokers(), new TopicRecord("t", PAYMENTS),
                new PartitionRecord(PAYMENTS, 0, List.of(1, 1), List.of(1), 1, 0, 0)).error())
                .isEqualTo(Error.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void reusedTopicIdIsARetriableConflict() {
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));

        ApplyOutcome.Refused refusal = refused(image, new TopicRecord("other", ORDERS),
                new PartitionRecord(ORDERS, 0, List.of(1), List.of(1), 1, 0, 0));

        assertThat(refusal.retriable()).isTrue();
    }

    @Test
    void deleteRemovesTopicAndItsConfigs() {
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));

        ClusterImage after = applied(image, new RemoveTopicRecord(ORDERS));

        assertThat(after.topics()).isEmpty();
        assertThat(after.topicsById()).isEmpty();
        assertThat(after.configs()).isEmpty();
        assertThat(refused(after, new RemoveTopicRecord(ORDERS)).error())
                .isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void configsAreSetAndDeleted() {
        var broker = new ConfigResource(ConfigResource.Type.BROKER, "");
        ClusterImage image = applied(twoBrokers(), new ConfigRecord(broker, "log.retention.ms", "5"),
                new ConfigRecord(broker, "num.partitions", "3"));
        assertThat(image.configs(broker)).isEqualTo(Map.of("log.retention.ms", "5", "num.partitions", "3"));

        ClusterImage after = applied(image, new ConfigRecord(broker, "log.retention.ms", null),
                new ConfigRecord(broker, "num.partitions", null));

        assertThat(after.configs(broker)).isEmpty();
        assertThat(after.configs()).doesNotContainKey(broker);
    }

    @Test
    void producerIdRangesAreCompareAndSet() {
        ClusterImage image = applied(twoBrokers(), new ProducerIdsRecord(1, 0, 1000));
        assertThat(image.nextProducerId()).isEqualTo(1000);

        // a second allocation planned against the old counter lost the race
        ApplyOutcome.Refused lost = refused(image, new ProducerIdsRecord(2, 0, 1000));
        assertThat(lost.retriable()).isTrue();

        ClusterImage after = applied(image, new ProducerIdsRecord(2, 1000, 2000));
        assertThat(after.nextProducerId()).isEqualTo(2000);
        assertThat(refused(after, new ProducerIdsRecord(2, 2000, 2000)).retriable()).isFalse();
    }

    @Test
    void brokerEpochsOnlyGrow() {
        ClusterImage image = twoBrokers();

        ClusterImage after = applied(image, new RegisterBrokerRecord(1, 5, List.of(), "r1", false));

        assertThat(after.brokers().get(1).brokerEpoch()).isEqualTo(5);
        assertThat(after.brokers().get(1).rack()).isEqualTo("r1");
        assertThat(refused(after, new RegisterBrokerRecord(1, 5, List.of(), null, false)).retriable()).isTrue();
    }

    @Test
    void clusterIdIsWrittenOnce() {
        assertThat(refused(twoBrokers(), new ClusterIdRecord("BBBBBBBBBBBBBBBBBBBBBB")).retriable()).isFalse();
    }

    @Test
    void aTopicOfManyPartitionsIsOneBatchInLinearTime() {
        // Given: a create of 50,000 partitions, one batch (a copy of the list per record took minutes at this size)
        ClusterImage image = twoBrokers();
        var batch = new java.util.ArrayList<MetadataRecord>();
        batch.add(new TopicRecord("wide", PAYMENTS));
        for (int p = 0; p < 50_000; p++) {
            batch.add(new PartitionRecord(PAYMENTS, p, List.of(1 + p % 2), List.of(1 + p % 2), 1 + p % 2, 0, 0));
        }

        // When
        long start = System.nanoTime();
        var outcome = ImageApplier.apply(image, batch, ++index);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        // Then
        assertThat(outcome).isInstanceOf(ApplyOutcome.Applied.class);
        TopicImage wide = ((ApplyOutcome.Applied) outcome).image().topic("wide").orElseThrow();
        assertThat(wide.partitions()).hasSize(50_000);
        assertThat(wide.partitions().get(49_999).partition()).isEqualTo(49_999);
        assertThat(wide.partitions().get(49_999).leader()).isEqualTo(2);
        assertThat(image.topic("wide")).as("the previous image is untouched").isEmpty();
        assertThat(tookMs).as("apply of 50,000 partition records, ms").isLessThan(10_000);
    }

    @Test
    void partitionChangesWithinOneBatchSeeEachOther() {
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));

        // two changes of one partition in one batch: the second is checked against the first
        ClusterImage after = applied(image,
                new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(2), 2, 1, 1),
                new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(1), 1, 2, 2),
                new PartitionRecord(ORDERS, 2, List.of(1), List.of(1), 1, 0, 0));
        assertThat(after.topic("orders").orElseThrow().partitions()).extracting(PartitionImage::leader)
                .containsExactly(1, 2, 1);
        assertThat(image.topic("orders").orElseThrow().partitions()).as("the previous image is untouched").hasSize(2);
        assertThat(refused(image,
                new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(2), 2, 1, 1),
                new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(1), 1, 2, 1)).retriable())
                .as("the same partition epoch twice in one batch").isTrue();
        assertThat(refused(image,
                new PartitionRecord(ORDERS, 2, List.of(1), List.of(1), 1, 0, 0),
                new PartitionRecord(ORDERS, 4, List.of(1), List.of(1), 1, 0, 0)).error())
                .isEqualTo(Error.INVALID_PARTITIONS);

        // partitions added and the topic removed in one batch: no topic left
        ClusterImage removed = applied(image,
                new PartitionRecord(ORDERS, 2, List.of(1), List.of(1), 1, 0, 0),
                new RemoveTopicRecord(ORDERS));
        assertThat(removed.topic("orders")).isEmpty();
        assertThat(removed.topic(ORDERS)).isEmpty();
    }

    @Test
    void partitionUpdatesNeedAHigherPartitionEpoch() {
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));

        ClusterImage after = applied(image, new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(2), 2, 1, 1));

        assertThat(after.topic("orders").orElseThrow().partitions().get(0))
                .isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(2), 2, 1, 1));
        assertThat(refused(after, new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(1), 1, 2, 1)).retriable())
                .isTrue();
    }

    @Test
    void snapshotFileRebuildsTheSameImage(@TempDir Path dir) throws Exception {
        // Given an image with every kind of state
        ClusterImage image = applied(twoBrokers(), createOrders(ORDERS));
        image = applied(image, new TopicRecord("payments", PAYMENTS),
                new PartitionRecord(PAYMENTS, 0, List.of(2), List.of(2), 2, 3, 4),
                new ConfigRecord(new ConfigResource(ConfigResource.Type.BROKER, "1"), "log.cleaner.threads", "2"),
                new ProducerIdsRecord(1, 0, 5000));

        // When written and read back
        Path file = dir.resolve("snapshot.1_" + index);
        ImageSnapshot.write(image, file);
        ClusterImage read = ImageSnapshot.read(file);

        // Then
        assertThat(read).isEqualTo(image);
    }

    @Test
    void aRegistrationWithoutEpochTakesItsCommitIndex() {
        ClusterImage image = Images.builder().brokers(1).build();

        ClusterImage after = Images.applied(image, List.of(new RegisterBrokerRecord(2,
                RegisterBrokerRecord.EPOCH_AT_COMMIT, new UUID(4, 4), List.of(), null, true)));

        assertThat(after.brokers().get(2).brokerEpoch()).isEqualTo(after.appliedIndex());
        assertThat(after.brokers().get(2).incarnationId()).isEqualTo(new UUID(4, 4));
    }

    @Test
    void aBrokerChangeForAnotherEpochIsRefused() {
        ClusterImage image = Images.builder().brokers(1).build();
        long epoch = image.brokers().get(1).brokerEpoch();

        assertThat(refused(image, new MetadataRecord.BrokerRegistrationChangeRecord(1, epoch + 1, true, false))
                .error()).isEqualTo(Error.STALE_BROKER_EPOCH);
        assertThat(refused(image, new MetadataRecord.BrokerRegistrationChangeRecord(9, 1, true, false)).error())
                .isEqualTo(Error.BROKER_ID_NOT_REGISTERED);
        ClusterImage after = applied(image, new MetadataRecord.BrokerRegistrationChangeRecord(1, epoch, true, true));
        assertThat(after.brokers().get(1).fenced()).isTrue();
        assertThat(after.brokers().get(1).inControlledShutdown()).isTrue();
    }

    @Test
    void aLeaderOutsideTheReplicasIsRefused() {
        ClusterImage image = Images.builder().brokers(1, 2).build();

        assertThat(refused(image, new TopicRecord("x", ORDERS),
                new PartitionRecord(ORDERS, 0, List.of(1), List.of(1), 2, 0, 0)).error())
                .isEqualTo(Error.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void snapshotsKeepIncarnationsShutdownsAndReassignments(@TempDir Path dir) throws Exception {
        ClusterImage image = Images.builder().brokers(1, 2, 3)
                .topic(new PartitionImage(0, List.of(3, 2, 1), List.of(1, 2), 1, 2, 5, List.of(3), List.of(1)))
                .build();
        long epoch2 = image.brokers().get(2).brokerEpoch();
        image = Images.applied(image, List.of(new MetadataRecord.BrokerRegistrationChangeRecord(2, epoch2, true,
                true)));
        Path file = dir.resolve("snapshot");

        ImageSnapshot.write(image, file);

        assertThat(ImageSnapshot.read(file)).isEqualTo(image);
    }
}
