package io.samsa.protocol;

import org.apache.kafka.common.network.Send;

/**
 * What the {@link RequestDispatcher} hands the {@link ResponseOrderer} for request number {@code sequence}. Not
 * reference-counted: dropping one leaks nothing.
 */
sealed interface OutboundResponse {

    /** Arrival number of the request this answers, see {@link DecodedRequest#sequence()}. */
    long sequence();

    /**
     * Write this serialized response (header + body; records may be file regions), then stop reading from the
     * connection for {@code throttleMs} (client quotas, KIP-219; 0 = no throttling).
     */
    record Respond(long sequence, Send send, int throttleMs) implements OutboundResponse {
        Respond(long sequence, Send send) {
            this(sequence, send, 0);
        }
    }

    /**
     * The request gets no response (acks=0 produce, or a handler completing with null); reading stops for
     * {@code throttleMs} (an acks=0 producer over its quota).
     */
    record Skip(long sequence, int throttleMs) implements OutboundResponse {
        Skip(long sequence) {
            this(sequence, 0);
        }
    }

    /** Flush what precedes, then close the connection (e.g. a failed acks=0 produce, as Kafka does). */
    record Close(long sequence) implements OutboundResponse {
    }
}
