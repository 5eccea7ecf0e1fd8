package io.samsa.storage.cleaner;

import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * Adds the keys of an uncompressed v2 batch to an {@link OffsetMap} straight from the cleaner's read buffer (its
 * array): records are walked in place and each key is hashed where it lies, so the offset-map pass allocates nothing
 * per record (the {@code Record} objects, key slices and header arrays of {@code streamingIterator} are what it
 * saves).
 *
 * <p>Record layout (KIP-98): {@code length varint, attributes i8, timestampDelta varlong, offsetDelta varint,
 * keyLength varint, key, valueLength varint, value, headerCount varint, headers}; records start 61 bytes into the
 * batch.
 *
 * <p>Not thread-safe; stateless between calls.
 */
final class KeyScanner {
    /** Where the records of a v2 batch start (Kafka's {@code DefaultRecordBatch.RECORDS_OFFSET}). */
    static final int RECORDS_OFFSET = 61;

    private byte[] buffer;
    private int position;

    /**
     * Puts every keyed record of the batch in {@code buffer[batchStart, batchEnd)} whose offset is at least
     * {@code minOffset} into {@code map}.
     *
     * @throws CorruptRecordException when the record framing is broken
     */
    void addKeys(byte[] buffer, int batchStart, int batchEnd, long baseOffset, int count, long minOffset,
                 OffsetMap map) {
        this.buffer = buffer;
        this.position = batchStart + RECORDS_OFFSET;
        try {
            for (int i = 0; i < count; i++) {
                int length = readVarint();
                int recordEnd = position + length;
                if (length <= 0 || length > batchEnd - position) {
                    throw corrupt("record " + i + " has length " + length + " past the batch end", baseOffset);
                }
                position++; // attributes
                readVarlong(); // timestamp delta
                long offset = baseOffset + readVarint();
                int keyLength = readVarint();
                if (keyLength < -1 || keyLength > recordEnd - position) {
                    throw corrupt("record " + i + " has a key of length " + keyLength, baseOffset);
                }
                if (keyLength >= 0 && offset >= minOffset) {
                    map.put(buffer, position, keyLength, offset);
                }
                position = recordEnd;
            }
        } catch (IndexOutOfBoundsException e) {
            throw corrupt("record framing runs past the buffer", baseOffset);
        } finally {
            this.buffer = null;
        }
    }

    private int readVarint() {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = buffer[position++];
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new CorruptRecordException("varint longer than 5 bytes");
    }

    private void readVarlong() {
        for (int i = 0; i < 10; i++) {
            if (buffer[position++] >= 0) {
                return;
            }
        }
        throw new CorruptRecordException("varlong longer than 10 bytes");
    }

    private static CorruptRecordException corrupt(String message, long baseOffset) {
        return new CorruptRecordException(message + " in the batch at offset " + baseOffset);
    }
}
