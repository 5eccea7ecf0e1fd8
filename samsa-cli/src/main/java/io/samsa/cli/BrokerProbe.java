package io.samsa.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Tells "the broker is not there" apart from other client timeouts: tries a plain TCP connection to each
 * {@code host:port} of a bootstrap list.
 */
final class BrokerProbe {
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private BrokerProbe() {
    }

    /** True when at least one address of the comma-separated {@code bootstrap} list accepts a TCP connection. */
    static boolean anyReachable(String bootstrap) {
        for (String address : bootstrap.split(",")) {
            String hostPort = address.strip().replaceFirst("^[A-Za-z_]+://", "");
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // try the next one
            }
        }
        return false;
    }
}
