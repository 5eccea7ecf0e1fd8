package io.samsa.protocol;

import io.netty.buffer.ByteBuf;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * A parsed request on its way from {@link RequestDecoder} to {@link RequestDispatcher}.
 *
 * @param sequence per-connection arrival number, 0, 1, 2...; responses are written in this order
 * @param context  header and connection facts for the handler
 * @param request  the parsed request; its data may hold slices of {@code frame} (Produce records)
 * @param frame    the frame's bytes, owned by whoever holds this record; released exactly once when the handler's
 *                 future completes (or when the request is dropped)
 * @param receivedNanos {@link System#nanoTime()} when the frame was decoded (request metrics' start)
 */
record DecodedRequest(long sequence, RequestContext context, AbstractRequest request, ByteBuf frame,
                      long receivedNanos) {
}
