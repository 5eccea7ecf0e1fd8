package io.samsa.protocol;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL stage of one connection on a SASL listener, between the {@link ResponseOrderer} and the
 * {@link RequestDispatcher}: Kafka's {@code SaslServerAuthenticator} (KIP-43, KIP-152) with re-authentication
 * (KIP-368).
 *
 * <ul>
 *   <li>Before authentication only ApiVersions (passed to the dispatcher) and SaslHandshake v1 are served; any
 *       other request closes the connection unanswered. A mechanism that is not enabled is answered
 *       UNSUPPORTED_SASL_MECHANISM with the enabled list, then the connection is closed.</li>
 *   <li>After the handshake only SaslAuthenticate is served; each token is evaluated on
 *       {@link SaslSettings#executor()}, requests arriving meanwhile are held (bounded by the orderer's in-flight
 *       limit). A refusal is logged (one INFO line: peer, connection, mechanism, claimed name, reason) and answered
 *       SASL_AUTHENTICATION_FAILED with Kafka's message after {@code connection.failed.authentication.delay.ms},
 *       then the connection is closed.</li>
 *   <li>On success the connection's principal becomes {@code User:<authorization id>}; SaslAuthenticate v1+ carries
 *       the session lifetime (min of {@code connections.max.reauth.ms} and the credential's expiry). A client that
 *       used v1+ may re-authenticate with SaslHandshake: same mechanism and principal, else refused. After the
 *       session expires any request but SaslHandshake closes the connection.</li>
 *   <li>Frames above {@code sasl.server.max.receive.size} close the connection ({@link KafkaFrameDecoder}); an
 *       exchange not completed within {@link SaslSettings#authenticationTimeoutMs()} closes it too.</li>
 * </ul>
 *
 * <p>Per connection, event loop only (evaluation results hop back to it).
 */
final class SaslAuthenticator extends ChannelInboundHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(SaslAuthenticator.class);

    private enum State { HANDSHAKE, AUTHENTICATE, EVALUATING, AUTHENTICATED, FAILED }

    private final SaslSettings settings;
    private final ConnectionInfo connection;
    private final KafkaFrameDecoder frames;
    private final RequestDecoder requests;
    private final ArrayDeque<DecodedRequest> held = new ArrayDeque<>();
    private State state = State.HANDSHAKE;
    private SaslSettings.Exchange exchange;
    private String mechanism;
    private final SaslSession session = new SaslSession();
    /** Set when a re-authentication asked for another mechanism: the first token is refused with it. */
    private String badMechanismMessage;
    /** After SaslHandshake v0: tokens travel as bare frames, not SaslAuthenticate requests. */
    private boolean rawTokens;
    private ScheduledFuture<?> deadline;

    SaslAuthenticator(SaslSettings settings, ConnectionInfo connection, KafkaFrameDecoder frames,
                      RequestDecoder requests) {
        this.settings = settings;
        this.connection = connection;
        this.frames = frames;
        this.requests = requests;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        frames.limitWhileAuthenticating(settings.maxReceiveBytes());
        armDeadline(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.FAILED;
        cancelDeadline();
        releaseHeld();
        disposeExchange();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RawSaslToken raw) {
            if (state == State.AUTHENTICATE && rawTokens) {
                byte[] token = ByteBufUtil.getBytes(raw.frame());
                raw.frame().release();
                evaluate(ctx, null, token);
            } else {
                raw.frame().release(); // a v0 client does not pipeline tokens: protocol violation
                closeNow(ctx, null);
            }
            return;
        }
        if (!(msg instanceof DecodedRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (state) {
            case FAILED -> request.frame().release();
            case EVALUATING -> held.addLast(request);
            default -> process(ctx, request);
        }
    }

    private void process(ChannelHandlerContext ctx, DecodedRequest request) {
        ApiKeys key = request.request().apiKey();
        switch (state) {
            case AUTHENTICATED -> {
                if (key == ApiKeys.SASL_HANDSHAKE && session.clientSupportsReauthentication()) {
                    beginReauthentication(ctx, request);
                } else if (session.expired(System.nanoTime())) {
                    LOGGER.info("Closing connection {} from {}: SASL session of {} expired (connections.max.reauth.ms)"
                            + " and the client sent {} instead of re-authenticating", connection.connectionId(),
                            connection.clientAddress(), connection.principal(), key);
                    closeNow(ctx, request);
                } else {
                    ctx.fireChannelRead(withCurrentPrincipal(request));
                }
            }
            case HANDSHAKE -> {
                if (key == ApiKeys.API_VERSIONS) {
                    ctx.fireChannelRead(request);
                } else if (key == ApiKeys.SASL_HANDSHAKE) {
                    handshake(ctx, request);
                } else {
                    LOGGER.info("Closing connection {} from {}: unexpected Kafka request of type {} during SASL "
                            + "handshake", connection.connectionId(), connection.clientAddress(), key);
                    closeNow(ctx, request);
                }
            }
            case AUTHENTICATE -> {
                if (key == ApiKeys.SASL_AUTHENTICATE) {
                    authenticate(ctx, request);
                } else {
                    String message = "Unexpected Kafka request of type " + key + " during SASL authentication.";
                    fail(ctx, request, request.request().getErrorResponse(new IllegalSaslStateException(message))
                            .data(), message);
                }
            }
            default -> request.frame().release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, DecodedRequest request) {
        String requested = ((SaslHandshakeRequestData) request.request().data()).mechanism();
        SaslHandshakeResponseData answer = new SaslHandshakeResponseData()
                .setMechanisms(settings.enabledMechanisms());
        if (!settings.enabledMechanisms().contains(requested)) {
            mechanism = requested; // for the log line
            fail(ctx, request, answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()),
                    "Unsupported SASL mechanism " + requested);
            return;
        }
        badMechanismMessage = session.mechanismChangeRefusal(requested);
        if (badMechanismMessage == null) {
            // (else Kafka answers the handshake and refuses the first token: REAUTH_BAD_MECHANISM)
            try {
                exchange = settings.servers().create(requested, connection.clientAddress());
            } catch (SaslException | RuntimeException e) {
                LOGGER.warn("Closing connection {} from {}: cannot create the SASL server for {} ({})",
                        connection.connectionId(), connection.clientAddress(), requested, e.toString());
                closeNow(ctx, request);
                return;
            }
        }
        mechanism = requested;
        state = State.AUTHENTICATE;
        respond(ctx, request, answer.setErrorCode(Errors.NONE.code()));
        if (request.request().version() == 0) {
            // KIP-43 framing: the tokens that follow are bare frames (Kafka's SaslServerAuthenticator still serves it)
            rawTokens = true;
            requests.rawSaslTokens(true);
        }
    }

    private void authenticate(ChannelHandlerContext ctx, DecodedRequest request) {
        session.saslAuthenticateVersion(request.request().version());
        if (badMechanismMessage != null) {
            fail(ctx, request, authenticateError(badMechanismMessage), badMechanismMessage);
            return;
        }
        evaluate(ctx, request, ((SaslAuthenticateRequestData) request.request().data()).authBytes());
    }

    /** Evaluates {@code token} off the event loop; {@code request} is null for a bare v0 token. */
    private void evaluate(ChannelHandlerContext ctx, DecodedRequest request, byte[] token) {
        var server = exchange.server();
        String chosen = mechanism;
        boolean reauthenticating = session.reauthenticating();
        state = State.EVALUATING;
        try {
            CompletableFuture.supplyAsync(() -> SaslEvaluation.evaluate(server, token, chosen, reauthenticating),
                    settings.executor()).whenComplete((evaluation, error) -> backOnLoop(ctx, request,
                    error != null ? new SaslEvaluation.Broken(error) : evaluation));
        } catch (RejectedExecutionException e) {
            closeNow(ctx, request); // shutting down
        }
    }

    private void backOnLoop(ChannelHandlerContext ctx, DecodedRequest request, SaslEvaluation evaluation) {
        try {
            ctx.executor().execute(() -> evaluated(ctx, request, evaluation));
        } catch (RejectedExecutionException e) {
            release(request);
        }
    }

    private void evaluated(ChannelHandlerContext ctx, DecodedRequest request, SaslEvaluation evaluation) {
        if (state != State.EVALUATING) { // closed meanwhile
            release(request);
            return;
        }
        switch (evaluation) {
            case SaslEvaluation.Challenge challenge -> {
                state = State.AUTHENTICATE;
                respond(ctx, request, new SaslAuthenticateResponseData().setAuthBytes(challenge.challenge()));
            }
            case SaslEvaluation.Complete complete -> succeed(ctx, request, complete);
            case SaslEvaluation.Refused refused ->
                    fail(ctx, request, authenticateError(refused.clientMessage()), refused.reason());
            case SaslEvaluation.Broken broken -> {
                LOGGER.warn("Closing connection {} from {}: SASL {} server failed", connection.connectionId(),
                        connection.clientAddress(), mechanism, broken.cause());
                closeNow(ctx, request);
                return;
            }
        }
        while (!held.isEmpty() && (state == State.AUTHENTICATE || state == State.AUTHENTICATED)) {
            process(ctx, held.pollFirst());
        }
    }

    private void succeed(ChannelHandlerContext ctx, DecodedRequest request, SaslEvaluation.Complete complete) {
        KafkaPrincipal principal = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, complete.authorizationId());
        String principalChange = session.principalChangeRefusal(principal);
        if (principalChange != null) {
            fail(ctx, request, authenticateError(principalChange), principalChange);
            return;
        }
        long lifetimeMs = session.complete(settings.maxReauthMs(), complete.credentialExpiresMs(),
                System.currentTimeMillis(), System.nanoTime());
        LOGGER.debug("Authenticated {} from {} on connection {} with {}; session lifetime {} ms", principal,
                connection.clientAddress(), connection.connectionId(), mechanism, lifetimeMs);
        connection.principal(principal);
        state = State.AUTHENTICATED;
        frames.authenticated();
        if (rawTokens) {
            rawTokens = false;
            requests.rawSaslTokens(false);
        }
        cancelDeadline();
        disposeExchange();
        respond(ctx, request, new SaslAuthenticateResponseData().setAuthBytes(complete.challenge())
                .setSessionLifetimeMs(lifetimeMs));
    }

    private void beginReauthentication(ChannelHandlerContext ctx, DecodedRequest request) {
        session.beginReauthentication(connection.principal(), mechanism);
        state = State.HANDSHAKE;
        frames.limitWhileAuthenticating(settings.maxReceiveBytes());
        armDeadline(ctx);
        handshake(ctx, request);
    }

    /** Answers after {@code connection.failed.authentication.delay.ms}, then closes (Kafka's delayed close). */
    private void fail(ChannelHandlerContext ctx, DecodedRequest request, ApiMessage answer, String reason) {
        state = State.FAILED;
        String claimed = exchange == null ? null : exchange.claimedName().get();
        String detail = exchange == null ? null : exchange.refusalDetail().get();
        LOGGER.info("Failed {} with {} (connection={}, listener={}, mechanism={}, user={}) ({})",
                session.text(), connection.clientAddress(),
                connection.connectionId(), connection.listenerName(), mechanism,
                session.reauthenticating() ? session.previousPrincipal().getName()
                        : claimed == null ? "unknown" : claimed,
                detail == null ? reason : reason + ": " + detail);
        // A bare v0 token gets no failure answer (Kafka's authenticationFailureSend is null then): just the close.
        Send send = request == null ? null : serialize(request, answer);
        long sequence = request == null ? -1 : request.sequence();
        release(request);
        cancelDeadline();
        releaseHeld();
        disposeExchange();
        Runnable answerAndClose = () -> {
            if (send != null) {
                ctx.write(new OutboundResponse.Respond(sequence, send), ctx.voidPromise());
            }
            ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        };
        if (settings.failedAuthenticationDelayMs() == 0) {
            answerAndClose.run();
        } else {
            ctx.executor().schedule(answerAndClose, settings.failedAuthenticationDelayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeNow(ChannelHandlerContext ctx, DecodedRequest request) {
        state = State.FAILED;
        release(request);
        cancelDeadline();
        releaseHeld();
        disposeExchange();
        ctx.close();
    }

    /** Answers {@code request}; null means a bare v0 token: the answer's auth bytes go out as a bare frame. */
    private void respond(ChannelHandlerContext ctx, DecodedRequest request, ApiMessage answer) {
        if (request == null) {
            byte[] token = ((SaslAuthenticateResponseData) answer).authBytes();
            ctx.writeAndFlush(Unpooled.buffer(4 + token.length).writeInt(token.length).writeBytes(token),
                    ctx.voidPromise());
            return;
        }
        Send send = serialize(request, answer);
        request.frame().release();
        ctx.write(new OutboundResponse.Respond(request.sequence(), send), ctx.voidPromise());
    }

    private static void release(DecodedRequest request) {
        if (request != null) {
            request.frame().release();
        }
    }

    private static Send serialize(DecodedRequest request, ApiMessage answer) {
        return SendBuilder.buildResponseSend(request.context().header().toResponseHeader(), answer,
                request.request().version());
    }

    private static SaslAuthenticateResponseData authenticateError(String message) {
        return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                .setErrorMessage(message);
    }

    /** Requests decoded before the exchange completed carry the principal of that moment. */
    private DecodedRequest withCurrentPrincipal(DecodedRequest request) {
        RequestContext context = request.context();
        if (context.principal().equals(connection.principal())) {
            return request;
        }
        RequestContext current = new RequestContext(context.header(), context.clientAddress(),
                context.connectionId(), context.listenerName(), context.securityProtocol(), connection.principal());
        return new DecodedRequest(request.sequence(), current, request.request(), request.frame(),
                request.receivedNanos());
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        cancelDeadline();
        long timeoutMs = settings.authenticationTimeoutMs();
        if (timeoutMs <= 0) {
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            if (state != State.AUTHENTICATED && state != State.FAILED && ctx.channel().isActive()) {
                LOGGER.info("Closing connection {} from {}: SASL {} not completed within {} ms "
                        + "(connections.max.idle.ms)", connection.connectionId(), connection.clientAddress(),
                        session.text(), timeoutMs);
                state = State.FAILED;
                releaseHeld();
                disposeExchange();
                ctx.close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseHeld() {
        DecodedRequest request;
        while ((request = held.pollFirst()) != null) {
            request.frame().release();
        }
    }

    private void disposeExchange() {
        if (exchange != null) {
            try {
                exchange.server().dispose();
            } catch (SaslException | RuntimeException e) {
                LOGGER.debug("Disposing the SASL server failed", e);
            }
            exchange = null;
        }
    }
}
