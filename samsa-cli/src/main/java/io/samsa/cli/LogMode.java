package io.samsa.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Chooses between the two logging modes of {@code logback.xml}: client commands log WARN to stderr (stdout carries
 * only data); the server logs INFO to stdout. The mode is read from system properties when logback starts, so
 * {@link #useServerLogging()} must run before the first logger is created.
 */
final class LogMode {
    /** Root level used by {@code logback.xml} (default WARN). */
    static final String LEVEL_PROPERTY = "samsa.log.level";
    /** Console target used by {@code logback.xml}: System.err (default) or System.out. */
    static final String TARGET_PROPERTY = "samsa.log.target";

    private LogMode() {
    }

    /** Server mode: INFO to stdout (unless already set by the user with {@code -D}). */
    static void useServerLogging() {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "INFO");
        }
        if (System.getProperty(TARGET_PROPERTY) == null) {
            System.setProperty(TARGET_PROPERTY, "System.out");
        }
    }

    /** Routes java.util.logging (used by some dependencies) through SLF4J. Idempotent. */
    static void installJulBridge() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
