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
    /** Appender used by {@code logback.xml}: STDERR (default) or STDOUT. */
    static final String APPENDER_PROPERTY = "samsa.log.appender";

    private LogMode() {
    }

    /** Server mode: INFO to stdout (unless already set by the user with {@code -D}). */
    static void useServerLogging() {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "INFO");
        }
        if (System.getProperty(APPENDER_PROPERTY) == null) {
            System.setProperty(APPENDER_PROPERTY, "STDOUT");
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
