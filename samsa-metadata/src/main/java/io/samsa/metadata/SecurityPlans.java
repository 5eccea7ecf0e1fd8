package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.AclRecord;
import io.samsa.metadata.record.MetadataRecord.ClientQuotaRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveAclRecord;
import io.samsa.metadata.record.MetadataRecord.RemoveScramCredentialRecord;
import io.samsa.metadata.record.MetadataRecord.ScramCredentialRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Leader-side planning of the security changes (ACLs, SCRAM credentials, client quotas): request + image → records.
 * The broker has validated the request with Kafka's rules; this only turns it into records. Stateless.
 */
final class SecurityPlans {
    private SecurityPlans() {
    }

    static QuorumWriter.Plan<List<UUID>> createAcls(ClusterImage image, List<AclEntry> entries) {
        Map<AclEntry, UUID> existing = new HashMap<>();
        image.security().acls().forEach((id, entry) -> existing.putIfAbsent(entry, id));
        var records = new ArrayList<MetadataRecord>();
        var ids = new ArrayList<UUID>(entries.size());
        for (AclEntry entry : entries) {
            UUID id = existing.get(entry);
            if (id == null) {
                id = UUID.randomUUID();
                existing.put(entry, id);
                records.add(new AclRecord(id, entry));
            }
            ids.add(id);
        }
        return new QuorumWriter.Plan<>(records, List.copyOf(ids), null);
    }

    static QuorumWriter.Plan<Void> removeAcls(ClusterImage image, Set<UUID> ids) {
        List<MetadataRecord> records = ids.stream().filter(image.security().acls()::containsKey).sorted()
                .<MetadataRecord>map(RemoveAclRecord::new).toList();
        return new QuorumWriter.Plan<>(records, null, null);
    }

    static QuorumWriter.Plan<Void> alterScramCredentials(List<ScramCredentialEntry> upserts,
                                                         List<SecurityImage.ScramKey> deletions) {
        var records = new ArrayList<MetadataRecord>();
        deletions.forEach(key -> records.add(new RemoveScramCredentialRecord(key.user(), key.mechanism())));
        upserts.forEach(credential -> records.add(new ScramCredentialRecord(credential)));
        return new QuorumWriter.Plan<>(records, null, null);
    }

    static QuorumWriter.Plan<Void> alterClientQuotas(List<QuotaChange> changes) {
        List<MetadataRecord> records = changes.stream()
                .<MetadataRecord>map(c -> new ClientQuotaRecord(c.entity(), c.key(), c.value())).toList();
        return new QuorumWriter.Plan<>(records, null, null);
    }
}
