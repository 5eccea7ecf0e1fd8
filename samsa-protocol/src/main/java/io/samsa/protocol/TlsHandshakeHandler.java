package io.samsa.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.Principal;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler}: when the handshake completes it sets the connection's principal as Kafka's
 * {@code DefaultKafkaPrincipalBuilder} does for SSL: {@code User:<mapped DN>} from the client certificate's subject
 * (RFC 2253 form, mapped by {@code ssl.principal.mapping.rules}), {@link KafkaPrincipal#ANONYMOUS} when the client
 * sent none. A failed handshake (untrusted certificate, no common protocol or cipher, a DN no mapping rule matches,
 * the 10 s handshake timeout) closes the connection and logs one INFO line with the peer and why, in Kafka's words
 * ("Failed authentication with ... (SSL handshake failed)"). Event loop only; one instance per connection.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsHandshakeHandler.class);

    private final ConnectionInfo connection;
    private final UnaryOperator<String> principalNameFromDn;
    private boolean failed;
    private boolean handshaken;

    TlsHandshakeHandler(ConnectionInfo connection, UnaryOperator<String> principalNameFromDn) {
        this.connection = connection;
        this.principalNameFromDn = principalNameFromDn;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                refuse(ctx, done.cause());
                return;
            }
            try {
                connection.principal(principal(ctx.pipeline().get(SslHandler.class)));
            } catch (RuntimeException e) {
                refuse(ctx, e);
                return;
            }
            handshaken = true;
        }
        super.userEventTriggered(ctx, evt);
    }

    private KafkaPrincipal principal(SslHandler ssl) {
        Principal peer;
        try {
            peer = ssl.engine().getSession().getPeerPrincipal();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return KafkaPrincipal.ANONYMOUS;
        }
        String dn = peer instanceof X500Principal x500 ? x500.getName() : peer.getName();
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, principalNameFromDn.apply(dn));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        Throwable tls = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (tls instanceof SSLException) {
            if (handshaken) {
                // a TLS error on an established connection (bad record, unexpected message): not an authentication
                LOGGER.debug("Closing TLS connection from {} (channelId={}): {}", ctx.channel().remoteAddress(),
                        connection.connectionId(), why(tls));
                ctx.close();
            } else if (!failed) {
                refuse(ctx, tls);
            }
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed && cause instanceof java.nio.channels.ClosedChannelException) {
            // the peer went away before the handshake finished (a port probe, a client giving up): not a refusal
            failed = true;
            LOGGER.debug("Connection {} from {} closed during the TLS handshake", connection.connectionId(),
                    ctx.channel().remoteAddress());
        } else if (!failed) {
            failed = true;
            LOGGER.info("Failed authentication with {} (channelId={}, listener={}) (SSL handshake failed: {})",
                    ctx.channel().remoteAddress(), connection.connectionId(), connection.listenerName(), why(cause));
        }
        ctx.close();
    }

    /** The exception's message, with its root cause's when that says more. */
    static String why(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (root == cause || root.getMessage() == null || top.contains(root.getMessage())) {
            return top;
        }
        return top + ": " + root.getMessage();
    }
}
