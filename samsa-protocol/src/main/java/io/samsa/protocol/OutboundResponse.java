package io.samsa.protocol;

import org.apache.kafka.common.network.Send;

/**
 * What the {@link RequestDispatcher} hands the {@link ResponseOrderer} for request number {@code sequence}. Not
 * reference-counted: dropping one leaks nothing.
 */
sealed interface OutboundResponse {

    /** Arrival number of the request this answers, see {@link DecodedRequest#sequence()}. */
    long sequence();

    /** Write this serialized response (header + body; records may be file regions). */
    record Respond(long sequence, Send send) implements OutboundResponse {
    }

    /** The request gets no response (acks=0 produce, or a handler completing with null). */
    record Skip(long sequence) implements OutboundResponse {
    }

    /** Flush what precedes, then close the connection (e.g. a failed acks=0 produce, as Kafka does). */
    record Close(long sequence) implements OutboundResponse {
    }
}
