package io.samsa.metadata.record;

/**
 * Bytes that are not a metadata record batch this version understands: a wrong format version, an unknown record
 * tag or record version, or a truncated buffer. Never swallowed: a replica that cannot read its log must stop.
 */
public final class MetadataCodecException extends RuntimeException {
    public MetadataCodecException(String message) {
        super(message);
    }

    public MetadataCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
