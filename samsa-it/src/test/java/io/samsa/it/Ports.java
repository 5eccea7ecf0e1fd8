package io.samsa.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Free ports and waiting for a listener, for tests that start brokers as processes. */
public final class Ports {
    private Ports() {
    }

    /** Below Linux's ephemeral range (32768-60999), where outgoing connections take their local ports. */
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;

    /**
     * A TCP port that was free a moment ago on 127.0.0.1, chosen at random below the ephemeral port range: a port the
     * kernel hands out for port 0 can be taken by any outgoing connection (of this JVM, a client, another process)
     * before the broker binds it, and Ratis stops the JVM when its listener cannot bind.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = random.nextInt(LOW, HIGH);
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** True when a TCP connection to 127.0.0.1:{@code port} succeeds. */
    static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until 127.0.0.1:{@code port} accepts connections; fails early with {@code whyNot} when {@code alive}
     * turns false (the process died).
     */
    static void awaitAccepting(int port, Duration atMost, BooleanSupplier alive, java.util.function.Supplier<String> whyNot) {
        await("port " + port + " accepting").atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!alive.getAsBoolean()) {
                throw new AssertionError("process exited before listening on " + port + ":\n" + whyNot.get());
            }
            return accepting(port);
        });
    }
}
