package io.samsa.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who a client quota applies to (Kafka's {@code ClientQuotaEntity}): entity type ({@code user}, {@code client-id},
 * {@code ip}) to name; a null name is that type's default entity (Kafka's {@code <default>}). Immutable; ordered by
 * entity type.
 */
public record QuotaEntity(Map<String, String> entries) {
    public QuotaEntity {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("A quota entity names at least one entity type");
        }
        entries.keySet().forEach(type -> Objects.requireNonNull(type, "entity type"));
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }
}
