package io.samsa.storage.validation;

import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * A batch that passed {@link BatchValidator#validate}.
 *
 * @param batch        the batch, a view over the request buffer (renumbered in place later)
 * @param count        number of records
 * @param maxTimestamp largest record timestamp (ms), -1 when none
 */
public record ValidatedBatch(MutableRecordBatch batch, int count, long maxTimestamp) {
}
