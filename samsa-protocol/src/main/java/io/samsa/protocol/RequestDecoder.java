package io.samsa.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a frame ({@link ByteBuf} without its size prefix) into a {@link DecodedRequest}: parses the header
 * ({@link RequestHeader#parse} picks the header version from api key and version), checks that a handler serves
 * that version, and parses the body without copying (records stay slices of the frame).
 *
 * <p>Like Kafka's {@code SocketServer}, an unknown api key, an API without handler, a version outside the handler's
 * range, or a malformed/truncated header or body closes the connection: no error response is possible. The one
 * exception is ApiVersions with a too-new version, which becomes a v0 {@link ApiVersionsRequest} flagged
 * {@code hasUnsupportedRequestVersion()} and is answered UNSUPPORTED_VERSION (KIP-511).
 *
 * <p>Owns each frame until it passes it on; releases it when it rejects it. Per connection, event loop only.
 */
final class RequestDecoder extends ChannelInboundHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(RequestDecoder.class);

    private final ApiRegistry registry;
    private final ConnectionInfo connection;
    private long nextSequence;
    private boolean rejected;
    private boolean rawSaslTokens;

    RequestDecoder(ApiRegistry registry, ConnectionInfo connection) {
        this.registry = registry;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (rejected || !ctx.channel().isActive()) {
            frame.release();
            return;
        }
        if (rawSaslTokens) {
            ctx.fireChannelRead(new RawSaslToken(frame));
            return;
        }
        DecodedRequest decoded = decode(ctx, frame);
        if (decoded == null) {
            rejected = true;
            frame.release();
            ctx.close();
        } else {
            ctx.fireChannelRead(decoded);
        }
    }

    /**
     * While true, frames pass on undecoded as {@link RawSaslToken}s (after SaslHandshake v0, until the exchange
     * ends). Event loop only.
     */
    void rawSaslTokens(boolean raw) {
        rawSaslTokens = raw;
    }

    /** The decoded request, or null (after logging why) if the connection must be closed. */
    private DecodedRequest decode(ChannelHandlerContext ctx, ByteBuf frame) {
        ByteBuffer buffer = frame.nioBuffer();
        RequestHeader header;
        try {
            header = RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            LOGGER.info("Closing connection {} from {}: unparseable request header ({})",
                    connection.connectionId(), ctx.channel().remoteAddress(), e.toString());
            return null;
        }
        ApiKeys key = header.apiKey();
        short version = header.apiVersion();
        RequestContext context = new RequestContext(header, connection.clientAddress(), connection.connectionId(),
                connection.listenerName(), connection.securityProtocol(), connection.principal());
        if (key == ApiKeys.API_VERSIONS && !header.isApiVersionSupported()) {
            // KIP-511: answer in v0 with ApiVersions' own range so the client can retry at a version we know.
            AbstractRequest unsupported = new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version);
            return new DecodedRequest(nextSequence++, context, unsupported, frame, System.nanoTime());
        }
        Optional<ApiHandler<?>> handler = registry.handler(key);
        if (handler.isEmpty()) {
            reject(ctx, header, "no handler for this API", null);
            return null;
        }
        if (version < handler.get().oldestVersion() || version > handler.get().latestVersion()) {
            reject(ctx, header, "unsupported version (served v" + handler.get().oldestVersion() + "-"
                    + handler.get().latestVersion() + ")", null);
            return null;
        }
        try {
            AbstractRequest request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buffer)).request;
            return new DecodedRequest(nextSequence++, context, request, frame, System.nanoTime());
        } catch (RuntimeException e) {
            reject(ctx, header, "malformed request body", e);
            return null;
        }
    }

    private void reject(ChannelHandlerContext ctx, RequestHeader header, String reason, Exception cause) {
        LOGGER.info("Closing connection {} from {}: {} apiKey={} apiVersion={} correlationId={} clientId={}{}",
                connection.connectionId(), ctx.channel().remoteAddress(), reason, header.apiKey(),
                header.apiVersion(), header.correlationId(), header.clientId(),
                cause == null ? "" : " (" + cause + ")");
        if (cause != null) {
            LOGGER.debug("Request parse failure", cause);
        }
    }
}
