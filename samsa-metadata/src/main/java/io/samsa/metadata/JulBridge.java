package io.samsa.metadata;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (used by the gRPC shaded inside Ratis) to SLF4J, once per JVM. Thread-safe.
 */
final class JulBridge {
    private JulBridge() {
    }

    static synchronized void installOnce() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
