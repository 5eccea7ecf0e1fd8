package io.samsa.metadata;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The security part of the {@link ClusterImage}: ACLs (KIP-11), SCRAM credentials (KIP-554) and client quotas
 * (KIP-546), as replicated in the metadata log. Immutable; all maps unmodifiable.
 *
 * @param acls   ACL entries by id
 * @param scram  SCRAM credentials by user and mechanism
 * @param quotas quota values (keys such as {@code producer_byte_rate}) by entity
 */
public record SecurityImage(Map<UUID, AclEntry> acls, Map<ScramKey, ScramCredentialEntry> scram,
                            Map<QuotaEntity, Map<String, Double>> quotas) {

    private static final SecurityImage EMPTY = new SecurityImage(Map.of(), Map.of(), Map.of());

    /** A SCRAM credential's identity. */
    public record ScramKey(String user, byte mechanism) {
        public ScramKey {
            Objects.requireNonNull(user, "user");
        }
    }

    public SecurityImage {
        acls = Map.copyOf(acls);
        scram = Map.copyOf(scram);
        quotas = Map.copyOf(quotas);
    }

    /** No ACLs, credentials or quotas. */
    public static SecurityImage empty() {
        return EMPTY;
    }
}
