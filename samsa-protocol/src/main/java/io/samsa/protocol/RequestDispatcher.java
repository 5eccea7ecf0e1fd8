package io.samsa.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the registered {@link ApiHandler} for each {@link DecodedRequest} on the event loop, and when its future
 * completes (on any thread) hops back to the event loop, releases the request frame, serializes the response and
 * writes an {@link OutboundResponse} towards the {@link ResponseOrderer}.
 *
 * <p>Error mapping, in one place: a handler that throws or completes exceptionally is answered with the API's error
 * response ({@code AbstractRequest.getErrorResponse(0, cause)}, code from {@link Errors#forException}); logged at
 * DEBUG, or WARN with the stack for UNKNOWN_SERVER_ERROR. A response that cannot be serialized becomes
 * UNKNOWN_SERVER_ERROR. Produce with acks=0 never gets a response: a value is dropped, a failure closes the
 * connection (as Kafka's {@code KafkaApis.handleProduceRequest}).
 *
 * <p>Client quotas: before serializing, the registry's {@link RequestThrottle} says how long the client must wait;
 * the larger of that and the handler's own {@code throttle_time_ms} goes into the response, and the
 * {@link ResponseOrderer} stops reading from the connection for that long once the response is written (KIP-219).
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ApiRegistry registry;

    RequestDispatcher(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecodedRequest request) {
            dispatch(ctx, request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOGGER.debug("Closing connection from {} after {}", ctx.channel().remoteAddress(), cause.toString(), cause);
        ctx.close();
    }

    private void dispatch(ChannelHandlerContext ctx, DecodedRequest decoded) {
        long start = System.nanoTime();
        CompletableFuture<? extends ApiMessage> future = invoke(decoded);
        long handlerNanos = System.nanoTime() - start;
        future.whenComplete((response, error) -> {
            long doneNanos = System.nanoTime();
            onEventLoop(ctx.executor(), decoded, () -> complete(ctx, decoded, response, error, handlerNanos, start,
                    doneNanos));
        });
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<? extends ApiMessage> invoke(DecodedRequest decoded) {
        AbstractRequest request = decoded.request();
        if (request instanceof ApiVersionsRequest apiVersions && apiVersions.hasUnsupportedRequestVersion()) {
            return CompletableFuture.completedFuture(
                    apiVersions.getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception()).data());
        }
        ApiHandler<ApiMessage> handler = (ApiHandler<ApiMessage>) registry.handler(request.apiKey()).orElseThrow();
        try {
            CompletableFuture<? extends ApiMessage> future = handler.handle(decoded.context(), request.data());
            return future != null ? future
                    : CompletableFuture.failedFuture(new IllegalStateException(
                            handler.getClass().getName() + " returned a null future"));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private static void onEventLoop(EventExecutor loop, DecodedRequest decoded, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // Server shutting down: nobody will read the response, but the frame must still be freed.
            decoded.frame().release();
        }
    }

    private void complete(ChannelHandlerContext ctx, DecodedRequest decoded, ApiMessage response, Throwable error,
                          long handlerNanos, long dispatchedNanos, long doneNanos) {
        OutboundResponse out;
        try {
            int throttleMs = error == null ? throttle(decoded, response, handlerNanos) : 0;
            out = toOutbound(decoded, response, error, throttleMs);
        } finally {
            decoded.frame().release();
        }
        ctx.write(out, ctx.voidPromise());
        observe(decoded, dispatchedNanos, doneNanos, error);
    }

    /** Tells the metrics hook the request's timings; a failing hook is logged, never fails the request. */
    private void observe(DecodedRequest decoded, long dispatchedNanos, long doneNanos, Throwable error) {
        RequestObserver observer = registry.observer();
        if (observer == RequestObserver.NONE) {
            return;
        }
        long now = System.nanoTime();
        try {
            observer.answered(decoded.request().apiKey(), decoded.request().version(),
                    dispatchedNanos - decoded.receivedNanos(), doneNanos - dispatchedNanos, now - doneNanos,
                    now - decoded.receivedNanos(), error != null);
        } catch (RuntimeException e) {
            LOGGER.debug("Request metrics hook failed apiKey={}", decoded.context().apiKey(), e);
        }
    }

    /** The quota hook's throttle time merged with the handler's, written into the response; 0 on a hook failure. */
    private int throttle(DecodedRequest decoded, ApiMessage response, long handlerNanos) {
        int throttleMs;
        try {
            throttleMs = registry.throttle().throttleTimeMs(decoded.context(), decoded.request(),
                    decoded.frame().readableBytes(), response, handlerNanos);
        } catch (RuntimeException e) {
            LOGGER.warn("Quota check failed apiKey={} correlationId={} clientId={}", decoded.context().apiKey(),
                    decoded.context().header().correlationId(), decoded.context().clientId(), e);
            throttleMs = 0;
        }
        if (response == null) {
            return Math.max(0, throttleMs);
        }
        int merged = Math.max(Math.max(0, throttleMs), ThrottleTimes.get(response));
        if (merged > 0) {
            ThrottleTimes.set(response, merged);
        }
        return merged;
    }

    private OutboundResponse toOutbound(DecodedRequest decoded, ApiMessage response, Throwable error,
                                        int throttleMs) {
        long sequence = decoded.sequence();
        boolean noResponseExpected = isAcksZeroProduce(decoded.request());
        if (error != null) {
            logFailure(decoded, error);
            return noResponseExpected ? new OutboundResponse.Close(sequence) : errorResponse(decoded, error);
        }
        if (response == null || noResponseExpected) {
            return new OutboundResponse.Skip(sequence, throttleMs);
        }
        try {
            if (response.apiKey() != decoded.request().apiKey().id) {
                throw new IllegalStateException("Handler answered " + decoded.request().apiKey() + " with a "
                        + response.getClass().getSimpleName());
            }
            return new OutboundResponse.Respond(sequence, serialize(decoded, response), throttleMs);
        } catch (RuntimeException e) {
            LOGGER.error("Cannot serialize response apiKey={} apiVersion={} correlationId={} clientId={}",
                    decoded.context().apiKey(), decoded.request().version(), decoded.context().header().correlationId(),
                    decoded.context().clientId(), e);
            return errorResponse(decoded, e);
        }
    }

    private static OutboundResponse errorResponse(DecodedRequest decoded, Throwable error) {
        try {
            ApiMessage body = decoded.request().getErrorResponse(0, error).data();
            return new OutboundResponse.Respond(decoded.sequence(), serialize(decoded, body));
        } catch (RuntimeException e) {
            LOGGER.error("Cannot build the error response for apiKey={} apiVersion={}; closing the connection",
                    decoded.context().apiKey(), decoded.request().version(), e);
            return new OutboundResponse.Close(decoded.sequence());
        }
    }

    private static Send serialize(DecodedRequest decoded, ApiMessage body) {
        ResponseHeader header = decoded.context().header().toResponseHeader();
        return SendBuilder.buildResponseSend(header, body, decoded.request().version());
    }

    private static boolean isAcksZeroProduce(AbstractRequest request) {
        return request.apiKey() == ApiKeys.PRODUCE && ((ProduceRequest) request).acks() == 0;
    }

    private static void logFailure(DecodedRequest decoded, Throwable error) {
        Errors code = Errors.forException(error);
        RequestContext context = decoded.context();
        if (code == Errors.UNKNOWN_SERVER_ERROR) {
            LOGGER.warn("Handler failed apiKey={} apiVersion={} correlationId={} clientId={} connection={}",
                    context.apiKey(), context.apiVersion(), context.header().correlationId(), context.clientId(),
                    context.connectionId(), Errors.maybeUnwrapException(error));
        } else {
            LOGGER.debug("Handler answered {} apiKey={} apiVersion={} correlationId={} clientId={}: {}", code,
                    context.apiKey(), context.apiVersion(), context.header().correlationId(), context.clientId(),
                    error.toString());
        }
    }
}
