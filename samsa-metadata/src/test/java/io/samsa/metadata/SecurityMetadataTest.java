package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecordCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** ACLs, SCRAM credentials and client quotas in a real single-voter quorum: stored, replayed, snapshotted. */
class SecurityMetadataTest {
    private static final AclEntry READ_T = new AclEntry((byte) 2, "t", (byte) 3, "User:alice", "*", (byte) 3, (byte) 3);
    private static final AclEntry DENY_PREFIX = new AclEntry((byte) 3, "g-", (byte) 4, "User:*", "10.0.0.1", (byte) 2,
            (byte) 2);
    private static final ScramCredentialEntry ALICE_256 = new ScramCredentialEntry("alice", (byte) 1,
            new byte[] {1, 2, 3}, new byte[] {4, 5}, new byte[] {6, 7}, 8192);

    @TempDir
    Path dir;
    private final List<MetadataQuorum> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(MetadataQuorum::close);
    }

    private MetadataQuorum start(Tuning tuning) throws IOException {
        var quorum = MetadataQuorum.start(new QuorumConfig(1, dir, Map.of(1, "localhost:0")), tuning);
        started.add(quorum);
        return quorum;
    }

    private static QuotaEntity entity(String type, String name) {
        var entries = new HashMap<String, String>();
        entries.put(type, name);
        return new QuotaEntity(entries);
    }

    @Test
    void createsAclsOnceAndRemovesThem() throws Exception {
        MetadataQuorum quorum = start(Tuning.DEFAULT);

        List<UUID> ids = quorum.createAcls(List.of(READ_T, DENY_PREFIX)).join();
        List<UUID> again = quorum.createAcls(List.of(READ_T)).join();

        assertThat(again).containsExactly(ids.getFirst());
        assertThat(quorum.image().security().acls()).containsOnly(Map.entry(ids.get(0), READ_T),
                Map.entry(ids.get(1), DENY_PREFIX));

        quorum.removeAcls(Set.of(ids.get(0), UUID.randomUUID())).join();
        assertThat(quorum.image().security().acls()).containsOnlyKeys(ids.get(1));
    }

    @Test
    void credentialsAndQuotasSurviveRestartFromSnapshotPlusLog() throws Exception {
        // Given: part in a snapshot, part in the log tail
        MetadataQuorum first = start(Tuning.DEFAULT.withSnapshots(10_000, false));
        first.createAcls(List.of(READ_T)).join();
        first.alterScramCredentials(List.of(ALICE_256), List.of()).join();
        first.alterClientQuotas(List.of(new QuotaChange(entity("user", null), "producer_byte_rate", 1024.0)), false)
                .join();
        first.takeSnapshot();
        var userAndClient = new QuotaEntity(Map.of("user", "alice", "client-id", "c1"));
        first.alterClientQuotas(List.of(new QuotaChange(userAndClient, "consumer_byte_rate", 2048.0),
                new QuotaChange(entity("user", null), "producer_byte_rate", null)), false).join();
        first.alterScramCredentials(List.of(new ScramCredentialEntry("bob", (byte) 2, new byte[] {9},
                new byte[] {8}, new byte[] {7}, 4096)), List.of(ALICE_256.key())).join();
        SecurityImage before = first.image().security();
        first.close();

        // When
        MetadataQuorum second = start(Tuning.DEFAULT);

        // Then
        SecurityImage after = second.image().security();
        assertThat(after).isEqualTo(before);
        assertThat(after.acls().values()).containsExactly(READ_T);
        assertThat(after.scram()).containsOnlyKeys(new SecurityImage.ScramKey("bob", (byte) 2));
        assertThat(after.quotas()).containsOnly(Map.entry(userAndClient, Map.of("consumer_byte_rate", 2048.0)));
    }

    @Test
    void validateOnlyQuotaChangeWritesNothing() throws Exception {
        MetadataQuorum quorum = start(Tuning.DEFAULT);
        long index = quorum.image().appliedIndex();

        quorum.alterClientQuotas(List.of(new QuotaChange(entity("client-id", "c"), "producer_byte_rate", 1.0)), true)
                .join();

        assertThat(quorum.image().security().quotas()).isEmpty();
        assertThat(quorum.image().appliedIndex()).isEqualTo(index);
    }

    @Test
    void securityRecordsRoundTripThroughTheCodecAndTheSnapshotBatch() {
        var records = List.<MetadataRecord>of(new MetadataRecord.AclRecord(UUID.randomUUID(), READ_T),
                new MetadataRecord.RemoveAclRecord(UUID.randomUUID()),
                new MetadataRecord.ScramCredentialRecord(ALICE_256),
                new MetadataRecord.RemoveScramCredentialRecord("bob", (byte) 2),
                new MetadataRecord.ClientQuotaRecord(entity("user", null), "request_percentage", 50.0),
                new MetadataRecord.ClientQuotaRecord(new QuotaEntity(Map.of("user", "u", "client-id", "c")),
                        "producer_byte_rate", null));

        assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(records))).isEqualTo(records);
    }

    @Test
    void negativeQuotaIsRefusedByApply() {
        var outcome = ImageApplier.apply(ClusterImage.empty(), List.of(new MetadataRecord.ClientQuotaRecord(
                entity("user", "u"), "producer_byte_rate", -1.0)), 1);

        assertThat(outcome).isInstanceOf(ApplyOutcome.Refused.class);
    }
}
