package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.samsa.metadata.Images.applied;
import static io.samsa.metadata.Images.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KIP-631 lifecycle rules, as pure functions of the image. */
class BrokerLifecycleTest {
    private static final UUID OTHER = new UUID(5, 5);

    @Test
    void aNewRegistrationIsFencedWithTheCommitIndexAsEpoch() {
        ClusterImage image = Images.builder().brokers(1).build();

        List<MetadataRecord> records = BrokerLifecycle.register(image, 2, OTHER, List.of(), "r", false);
        ClusterImage after = applied(image, records);

        BrokerRegistration b = after.brokers().get(2);
        assertThat(b.fenced()).isTrue();
        assertThat(b.brokerEpoch()).isEqualTo(after.appliedIndex());
        assertThat(b.incarnationId()).isEqualTo(OTHER);
    }

    @Test
    void anotherIncarnationIsRefusedWhileTheSessionLivesAndAcceptedAfter() {
        ClusterImage image = Images.builder().brokers(1).build();
        long oldEpoch = image.brokers().get(1).brokerEpoch();

        assertThatThrownBy(() -> BrokerLifecycle.register(image, 1, OTHER, List.of(), null, true))
                .isInstanceOfSatisfying(ControllerException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.DUPLICATE_BROKER_REGISTRATION);
                    assertThat(e.getMessage()).contains("broker id: 1");
                });
        ClusterImage after = applied(image, BrokerLifecycle.register(image, 1, OTHER, List.of(), null, false));
        assertThat(after.brokers().get(1).brokerEpoch()).isGreaterThan(oldEpoch);
        assertThat(after.brokers().get(1).fenced()).isTrue();
    }

    @Test
    void theSameIncarnationRegisteringAgainWritesNothing() {
        ClusterImage image = Images.builder().brokers(1).build();

        assertThat(BrokerLifecycle.register(image, 1, new UUID(9, 1), List.of(), null, true)).isEmpty();
    }

    @Test
    void aBrokerFromALogWithoutIncarnationIdsMayReRegister() {
        ClusterImage image = Images.builder()
                .apply(new RegisterBrokerRecord(1, 3, List.of(), null, false)).build();

        assertThat(BrokerLifecycle.register(image, 1, OTHER, List.of(), null, true)).isNotEmpty();
    }

    @Test
    void fencingMovesLeadershipAndShrinksIsrButKeepsTheLastMember() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).topic(
                new PartitionImage(0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 4, 7),
                new PartitionImage(1, List.of(2, 1), List.of(2, 1), 2, 0, 0),
                new PartitionImage(2, List.of(1), List.of(1), 1, 0, 0)).build();

        ClusterImage after = applied(image, BrokerLifecycle.fence(image, 1));

        assertThat(after.brokers().get(1).fenced()).isTrue();
        assertThat(partition(after, 0)).isEqualTo(new PartitionImage(0, List.of(1, 2, 3), List.of(2, 3), 2, 5, 8));
        assertThat(partition(after, 1)).isEqualTo(new PartitionImage(1, List.of(2, 1), List.of(2), 2, 0, 1));
        assertThat(partition(after, 2)).isEqualTo(new PartitionImage(2, List.of(1), List.of(1), -1, 1, 1));
        assertThat(BrokerLifecycle.fence(after, 1)).isEmpty();
    }

    @Test
    void fencingSkipsFencedIsrMembersWhenElecting() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).fenced(2).topic(
                new PartitionImage(0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0)).build();

        ClusterImage after = applied(image, BrokerLifecycle.fence(image, 1));

        assertThat(partition(after, 0).leader()).isEqualTo(3);
    }

    @Test
    void unfencingGivesLeaderlessPartitionsTheirIsrMember() {
        ClusterImage image = Images.builder().brokers(1, 2).fenced(1).topic(
                new PartitionImage(0, List.of(1, 2), List.of(1), -1, 3, 5),
                new PartitionImage(1, List.of(2, 1), List.of(2), 2, 0, 0)).build();

        ClusterImage after = applied(image, BrokerLifecycle.unfence(image, 1));

        assertThat(after.brokers().get(1).fenced()).isFalse();
        assertThat(partition(after, 0)).isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(1), 1, 4, 6));
        assertThat(partition(after, 1)).isEqualTo(partition(image, 1));
    }

    @Test
    void uncleanElectionConfigLetsAnOutOfSyncReplicaLead() {
        ClusterImage image = Images.builder().brokers(1, 2).topic(
                new PartitionImage(0, List.of(1, 2), List.of(1), 1, 0, 0)).build();
        image = applied(image, List.of(new MetadataRecord.ConfigRecord(ConfigResource.topic("t"),
                BrokerLifecycle.UNCLEAN_LEADER_ELECTION_ENABLE, "true")));

        ClusterImage after = applied(image, BrokerLifecycle.fence(image, 1));

        assertThat(partition(after, 0)).isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(2), 2, 1, 1));
    }

    @Test
    void controlledShutdownMovesLeadershipsAndIsrMembership() {
        ClusterImage image = Images.builder().brokers(1, 2).topic(
                new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionImage(1, List.of(2, 1), List.of(2, 1), 2, 0, 0)).build();

        ClusterImage after = applied(image, BrokerLifecycle.beginControlledShutdown(image, 1));

        assertThat(after.brokers().get(1).inControlledShutdown()).isTrue();
        assertThat(BrokerLifecycle.leadsAnything(after, 1)).isFalse();
        assertThat(partition(after, 0)).isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(2), 2, 1, 1));
        assertThat(partition(after, 1).isr()).containsExactly(2);
    }
}
