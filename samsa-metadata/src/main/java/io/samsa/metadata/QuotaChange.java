package io.samsa.metadata;

import java.util.Objects;

/**
 * Sets ({@code value != null}) or removes ({@code value == null}) one quota key of an entity (AlterClientQuotas).
 *
 * @param key e.g. {@code producer_byte_rate} (bytes/s), {@code consumer_byte_rate}, {@code request_percentage},
 *            {@code controller_mutation_rate}, {@code connection_creation_rate}
 */
public record QuotaChange(QuotaEntity entity, String key, Double value) {
    public QuotaChange {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
    }
}
