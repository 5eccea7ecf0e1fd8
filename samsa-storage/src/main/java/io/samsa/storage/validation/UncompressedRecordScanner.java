package io.samsa.storage.validation;

import org.apache.kafka.common.InvalidRecordException;
import java.nio.ByteBuffer;

/**
 * Walks the records of an uncompressed v2 batch in place with absolute reads, allocating nothing. Checks the framing
 * of every record (length, offset delta = index, key/value/header lengths adding up to the record length) and hands
 * each record's timestamp and key presence to a {@link RecordCheck}.
 *
 * <p>Record layout (KIP-98): {@code length varint, attributes i8, timestampDelta varlong, offsetDelta varint,
 * keyLength varint, key, valueLength varint, value, headerCount varint, headers}.
 *
 * <p>Not thread-safe; stateless between calls.
 */
final class UncompressedRecordScanner {
    /** Receives each record's absolute timestamp (ms) and whether it has a key; may throw to reject it. */
    interface RecordCheck {
        void check(int index, long timestamp, boolean hasKey);
    }

    private ByteBuffer buffer;
    private int position;

    /**
     * Scans {@code count} records stored in {@code buffer[start, end)}.
     *
     * @return the largest record timestamp (ms), or -1 when none is set
     * @throws InvalidRecordException when the framing is broken
     */
    long scan(ByteBuffer buffer, int start, int end, int count, long baseTimestamp, RecordCheck check) {
        this.buffer = buffer;
        this.position = start;
        long maxTimestamp = -1L;
        try {
            for (int i = 0; i < count; i++) {
                int length = readVarint();
                int recordEnd = position + length;
                if (length <= 0 || recordEnd > end) {
                    throw invalid("record " + i + " has length " + length + " past the batch end");
                }
                position++; // attributes
                long timestamp = baseTimestamp + readVarlong();
                int offsetDelta = readVarint();
                if (offsetDelta != i) {
                    throw invalid("record " + i + " has offset delta " + offsetDelta);
                }
                int keyLength = readVarint();
                skip(keyLength, i);
                skip(readVarint(), i);
                int headers = readVarint();
                if (headers < 0) {
                    throw invalid("record " + i + " has " + headers + " headers");
                }
                for (int h = 0; h < headers; h++) {
                    int headerKey = readVarint();
                    if (headerKey < 0) {
                        throw invalid("record " + i + " has a null header key");
                    }
                    skip(headerKey, i);
                    skip(readVarint(), i);
                }
                if (position != recordEnd) {
                    throw invalid("record " + i + " fields do not add up to its length " + length);
                }
                check.check(i, timestamp, keyLength >= 0);
                if (timestamp > maxTimestamp) {
                    maxTimestamp = timestamp;
                }
            }
            if (position != end) {
                throw invalid("batch has " + (end - position) + " bytes after its " + count + " records");
            }
            return maxTimestamp;
        } catch (IndexOutOfBoundsException e) {
            throw invalid("record framing runs past the batch end");
        } finally {
            this.buffer = null;
        }
    }

    private void skip(int length, int record) {
        if (length < -1) {
            throw invalid("record " + record + " has a field of length " + length);
        }
        if (length > 0) {
            position += length;
        }
    }

    private int readVarint() {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = buffer.get(position++);
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw invalid("varint longer than 5 bytes");
    }

    private long readVarlong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get(position++);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw invalid("varlong longer than 10 bytes");
    }

    private static InvalidRecordException invalid(String message) {
        return new InvalidRecordException(message);
    }
}
