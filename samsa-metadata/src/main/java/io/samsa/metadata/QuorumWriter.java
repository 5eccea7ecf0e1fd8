package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecordCodec;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Plans a request against the current image, submits the batch, and turns the apply reply into a result or a
 * {@link ControllerException}. When this node is the ready leader the batch goes straight into the local server
 * ({@code submitClientRequestAsync}, no network hop); otherwise, or if leadership moved meanwhile, through a
 * {@link RaftClient} that follows the leader with a bounded retry policy. A refusal marked retriable (a lost race)
 * is re-planned against the newer image up to {@link Tuning#conflictRetries()} times. Every request has an overall
 * deadline ({@link Tuning#requestTimeout()}) after which it fails with REQUEST_TIMED_OUT.
 *
 * <p>Thread-safe.
 */
final class QuorumWriter {
    private static final Logger LOGGER = LoggerFactory.getLogger(QuorumWriter.class);

    /**
     * What to append and what the caller gets once it is applied.
     *
     * @param records       the batch; empty means nothing to write, complete with {@code result} at once
     * @param resultAtIndex when not null, the result is computed from the log index the batch committed at
     */
    record Plan<T>(List<MetadataRecord> records, T result, LongFunction<T> resultAtIndex) {
        Plan(List<MetadataRecord> records, T result) {
            this(records, result, null);
        }

        static <T> Plan<T> nothing(T result) {
            return new Plan<>(List.of(), result);
        }

        static <T> Plan<T> atIndex(List<MetadataRecord> records, LongFunction<T> resultAtIndex) {
            return new Plan<>(records, null, resultAtIndex);
        }
    }

    private final RaftServer server;
    private final RaftPeerId selfId;
    private final ForwardingClient forwardingClient;
    private final Supplier<ClusterImage> image;
    private final Tuning tuning;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /** The tail of the serial queue: completes when the last serially written request has finished. */
    private CompletableFuture<?> serialTail = CompletableFuture.completedFuture(null);

    QuorumWriter(RaftServer server, RaftPeerId selfId, ForwardingClient forwardingClient, Supplier<ClusterImage> image,
                 Tuning tuning) {
        this.server = server;
        this.selfId = selfId;
        this.forwardingClient = forwardingClient;
        this.image = image;
        this.tuning = tuning;
    }

    /**
     * Plans with {@code planner} (which may throw {@link ControllerException}) and writes the batch.
     *
     * @return the plan's result once the batch is applied; fails with {@link ControllerException}
     */
    <T> CompletableFuture<T> write(Function<ClusterImage, Plan<T>> planner) {
        return attempt(planner, 0)
                .orTimeout(tuning.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(result);
                    }
                    return CompletableFuture.<T>failedFuture(toControllerException(error));
                })
                .thenCompose(Function.identity());
    }

    /**
     * Like {@link #write}, but planned only after the previous serial write has finished, so requests that all
     * touch the same counter (producer ids, broker epochs) do not race each other on this node.
     */
    <T> CompletableFuture<T> writeSerially(Function<ClusterImage, Plan<T>> planner) {
        synchronized (this) {
            CompletableFuture<T> result = serialTail.handle((ignored, error) -> null)
                    .thenCompose(ignored -> write(planner));
            serialTail = result;
            return result;
        }
    }

    private <T> CompletableFuture<T> attempt(Function<ClusterImage, Plan<T>> planner, int attempt) {
        Plan<T> plan;
        try {
            plan = planner.apply(image.get());
        } catch (ControllerException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (plan.records().isEmpty()) {
            return CompletableFuture.completedFuture(plan.result());
        }
        Message message = Message.valueOf(ByteString.copyFrom(MetadataRecordCodec.encode(plan.records())));
        return submit(message).thenCompose(reply -> {
            ApplyOutcome.Refused refused = ApplyReply.decode(reply);
            if (refused == null) {
                return CompletableFuture.completedFuture(plan.resultAtIndex() == null ? plan.result()
                        : plan.resultAtIndex().apply(ApplyReply.appliedIndex(reply)));
            }
            if (refused.retriable() && attempt < tuning.conflictRetries()) {
                LOGGER.debug("Re-planning after a lost race attempt={} reason={}", attempt, refused.message());
                return attempt(planner, attempt + 1);
            }
            return CompletableFuture.failedFuture(refused.toException());
        });
    }

    private CompletableFuture<Message> submit(Message message) {
        if (!isLocalLeaderReady()) {
            return forward(message);
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(localClientId)
                .setServerId(selfId)
                .setGroupId(RatisSettings.GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> local;
        try {
            local = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return local.thenCompose(reply -> {
            if (reply.isSuccess()) {
                return CompletableFuture.completedFuture(reply.getMessage());
            }
            RaftException e = reply.getException();
            if (e instanceof NotLeaderException || e instanceof LeaderNotReadyException) {
                return forward(message);
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    private CompletableFuture<Message> forward(Message message) {
        return forwardingClient.call(client -> client.async().send(message)).thenCompose(reply -> reply.isSuccess()
                ? CompletableFuture.completedFuture(reply.getMessage())
                : CompletableFuture.failedFuture(reply.getException()));
    }

    private boolean isLocalLeaderReady() {
        if (server == null) {
            return false;
        }
        try {
            return server.getDivision(RatisSettings.GROUP_ID).getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** Maps whatever failed to the error the broker reports. */
    static ControllerException toControllerException(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case ControllerException ce -> ce;
            case TimeoutException te -> new ControllerException(Error.REQUEST_TIMED_OUT,
                    "The metadata quorum did not commit the request in time");
            case NotLeaderException nle -> new ControllerException(Error.NOT_CONTROLLER, nle.getMessage());
            case LeaderNotReadyException lnre -> new ControllerException(Error.NOT_CONTROLLER, lnre.getMessage());
            case AlreadyClosedException ace -> new ControllerException(Error.NOT_CONTROLLER,
                    "The metadata quorum is closed: " + ace.getMessage());
            default -> {
                LOGGER.warn("Metadata request failed", e);
                yield new ControllerException(Error.UNKNOWN_SERVER_ERROR, String.valueOf(e));
            }
        };
    }
}
