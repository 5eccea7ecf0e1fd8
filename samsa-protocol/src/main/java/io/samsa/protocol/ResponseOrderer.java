package io.samsa.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes responses strictly in request order, and applies backpressure.
 *
 * <p>Inbound, it notes the {@link DecodedRequest#sequence()} of every request passing towards the dispatcher.
 * Outbound, it parks each {@link OutboundResponse} until all earlier requests are answered, then writes the run of
 * ready responses and flushes once. {@link OutboundResponse.Skip} just advances the order (acks=0);
 * {@link OutboundResponse.Close} flushes and closes.
 *
 * <p>Backpressure: the channel reads only while fewer than {@code maxInFlight} requests are unanswered and the
 * channel is writable (outbound bytes, file regions included, below the high water mark); otherwise autoRead is off.
 * Kafka clients pipeline up to {@code max.in.flight.requests.per.connection} requests, so this rarely triggers for
 * well-behaved clients.
 *
 * <p>Throttling (client quotas, KIP-219): a response carrying a throttle time mutes the connection once it has been
 * written: no reads until the throttle time has passed (a later throttle extends it), composed with the
 * backpressure conditions above. Kafka mutes the channel the same way after sending a throttled response.
 *
 * <p>Per connection, event loop only.
 */
final class ResponseOrderer extends ChannelDuplexHandler {

    private static final Logger LOGGER = LoggerFactory.getLogger(ResponseOrderer.class);

    private final int maxInFlight;
    private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    private final Map<Long, OutboundResponse> ready = new HashMap<>();
    private boolean closing;
    /** Reads resume at this {@link System#nanoTime()}; meaningful while {@link #throttled}. */
    private long mutedUntilNanos;
    private boolean throttled;

    ResponseOrderer(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Requests read but not yet answered. */
    int inFlightCount() {
        return inFlight.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecodedRequest request) {
            if (closing) {
                request.frame().release(); // the connection is going away: do not start more work
                return;
            }
            inFlight.addLast(request.sequence());
            ctx.fireChannelRead(msg);
            updateAutoRead(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundResponse response)) {
            ctx.write(msg, promise);
            return;
        }
        if (closing) {
            return;
        }
        ready.put(response.sequence(), response);
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        OutboundResponse next;
        while (!inFlight.isEmpty() && (next = ready.remove(inFlight.peekFirst())) != null) {
            inFlight.removeFirst();
            switch (next) {
                case OutboundResponse.Respond respond -> {
                    ChannelFuture written = ctx.write(respond.send());
                    written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                    if (respond.throttleMs() > 0) {
                        int throttleMs = respond.throttleMs();
                        written.addListener(f -> {
                            if (f.isSuccess()) {
                                mute(ctx, throttleMs);
                            }
                        });
                    }
                    wrote = true;
                }
                case OutboundResponse.Skip skip -> {
                    // No response expected; the order advances.
                    if (skip.throttleMs() > 0) {
                        mute(ctx, skip.throttleMs());
                    }
                }
                case OutboundResponse.Close close -> {
                    LOGGER.debug("Closing connection from {} after request {}", ctx.channel().remoteAddress(),
                            close.sequence());
                    closing = true;
                    inFlight.clear();
                    ready.clear();
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead(ctx);
    }

    /** Stops reading for {@code throttleMs} from now, or longer if already muted for longer. Event loop only. */
    private void mute(ChannelHandlerContext ctx, int throttleMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleMs);
        if (throttled && until - mutedUntilNanos <= 0) {
            return;
        }
        boolean scheduled = throttled;
        throttled = true;
        mutedUntilNanos = until;
        updateAutoRead(ctx);
        if (!scheduled) {
            schedule(ctx, TimeUnit.MILLISECONDS.toNanos(throttleMs));
        }
    }

    private void unmuteIfDue(ChannelHandlerContext ctx) {
        long remaining = mutedUntilNanos - System.nanoTime();
        if (remaining > 0) {
            schedule(ctx, remaining);
            return;
        }
        throttled = false;
        updateAutoRead(ctx);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        try {
            ctx.executor().schedule(() -> unmuteIfDue(ctx), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down with the server: the connection closes anyway
        }
    }

    /** Whether reading is paused by a throttle time (tests). */
    boolean throttled() {
        return throttled;
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        boolean read = !closing && !throttled && inFlight.size() < maxInFlight && ctx.channel().isWritable();
        if (config.isAutoRead() != read) {
            config.setAutoRead(read);
        }
    }
}
