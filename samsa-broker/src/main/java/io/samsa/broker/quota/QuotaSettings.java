package io.samsa.broker.quota;

/**
 * Sampling of the client quota sensors, Kafka's broker keys: {@code quota.window.num} (11) windows of
 * {@code quota.window.size.seconds} (1) for byte rates and request time; {@code controller.quota.window.num} (11)
 * and {@code controller.quota.window.size.seconds} (1) for the controller mutation token bucket.
 */
public record QuotaSettings(int windowNum, int windowSizeSeconds, int controllerWindowNum,
                            int controllerWindowSizeSeconds) {

    /** Kafka's defaults. */
    public static final QuotaSettings DEFAULTS = new QuotaSettings(11, 1, 11, 1);

    public QuotaSettings {
        if (windowNum < 1 || windowSizeSeconds < 1 || controllerWindowNum < 1 || controllerWindowSizeSeconds < 1) {
            throw new IllegalArgumentException("quota windows must be positive");
        }
    }

    long windowMs() {
        return windowSizeSeconds * 1000L;
    }

    long controllerWindowMs() {
        return controllerWindowSizeSeconds * 1000L;
    }
}
