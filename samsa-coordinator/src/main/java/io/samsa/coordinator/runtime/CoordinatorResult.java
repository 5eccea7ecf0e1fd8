package io.samsa.coordinator.runtime;

import java.util.List;

/**
 * What a write operation computed: the records to append and the response to give once they are acknowledged
 * (Kafka's {@code CoordinatorResult}).
 *
 * @param <R> the record type
 * @param <T> the response type
 */
public record CoordinatorResult<R, T>(List<R> records, T response) {
    public CoordinatorResult {
        records = List.copyOf(records);
    }
}
