package io.samsa.metadata;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Random ids the way Kafka makes them ({@code Uuid.randomUuid()}): never the zero id, never the reserved metadata
 * topic id (0, 1), and never one whose text form starts with '-' (it would read as a command-line option). The text
 * form is Kafka's {@code Uuid.toString()}: 16 bytes as 22 characters of URL-safe base64 without padding.
 * Called on the leader only; the ids travel in records. Thread-safe.
 */
final class Uuids {
    private static final UUID RESERVED_METADATA_TOPIC_ID = new UUID(0L, 1L);
    private static final UUID ZERO = new UUID(0L, 0L);

    private Uuids() {
    }

    /** A fresh cluster id in Kafka's text form. */
    static String randomClusterId() {
        return render(randomId());
    }

    /** A fresh id for a topic (KIP-516) or a cluster. */
    static UUID randomId() {
        while (true) {
            UUID id = UUID.randomUUID();
            if (!id.equals(ZERO) && !id.equals(RESERVED_METADATA_TOPIC_ID) && !render(id).startsWith("-")) {
                return id;
            }
        }
    }

    static String render(UUID id) {
        var bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
