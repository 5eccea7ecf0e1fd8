package io.samsa.protocol;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/** Fake handlers for wire tests. */
final class TestHandlers {

    private TestHandlers() {
    }

    /** A handler computing its future with a function; optional narrower version range. */
    static <Q extends ApiMessage> ApiHandler<Q> of(ApiKeys key, short oldest, short latest,
            BiFunction<RequestContext, Q, CompletableFuture<? extends ApiMessage>> body) {
        return new ApiHandler<>() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public short oldestVersion() {
                return oldest;
            }

            @Override
            public short latestVersion() {
                return latest;
            }

            @Override
            public CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request) {
                return body.apply(context, request);
            }
        };
    }

    static <Q extends ApiMessage> ApiHandler<Q> of(ApiKeys key,
            BiFunction<RequestContext, Q, CompletableFuture<? extends ApiMessage>> body) {
        return of(key, key.oldestVersion(), key.latestVersion(), body);
    }

    /** One call to a {@link Parked} handler: the test completes {@code future} whenever and from any thread. */
    record Call<Q>(RequestContext context, Q request, CompletableFuture<ApiMessage> future) {
    }

    /** A handler whose futures the test completes; calls are queued in arrival order. */
    static final class Parked<Q extends ApiMessage> implements ApiHandler<Q> {
        final BlockingQueue<Call<Q>> calls = new LinkedBlockingQueue<>();
        private final ApiKeys key;

        Parked(ApiKeys key) {
            this.key = key;
        }

        @Override
        public ApiKeys apiKey() {
            return key;
        }

        @Override
        public CompletableFuture<? extends ApiMessage> handle(RequestContext context, Q request) {
            CompletableFuture<ApiMessage> future = new CompletableFuture<>();
            calls.add(new Call<>(context, request, future));
            return future;
        }
    }
}
