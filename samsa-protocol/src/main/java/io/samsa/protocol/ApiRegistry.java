package io.samsa.protocol;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this server implements: one {@link ApiHandler} per {@link ApiKeys}. The ApiVersions API is built in and
 * advertises exactly the registered handlers' version ranges (Produce from v0, KAFKA-18659) plus ApiVersions itself
 * (v0 to the jar's latest) and the SASL APIs (SaslHandshake v0-1, SaslAuthenticate v0-2; built in, see
 * {@link SaslAuthenticator}).
 *
 * <p>Features (KIP-584) are empty with finalized epoch -1 unless {@link #supportedFeature} /
 * {@link #finalizedFeature} add some; Java clients only read them for {@code Admin.describeFeatures} and for
 * {@code transaction.version} / {@code group.version} opt-ins.
 *
 * <p>Register everything before the server starts; lookups afterwards are lock-free (the maps are not mutated
 * once serving). Not thread-safe for registration.
 */
public final class ApiRegistry {

    private final Map<ApiKeys, ApiHandler<?>> handlers = new EnumMap<>(ApiKeys.class);
    private final Map<String, short[]> supportedFeatures = new LinkedHashMap<>();
    private final Map<String, short[]> finalizedFeatures = new LinkedHashMap<>();
    private long finalizedFeaturesEpoch = -1L;
    private RequestThrottle throttle = RequestThrottle.NONE;
    private RequestObserver observer = RequestObserver.NONE;

    public ApiRegistry() {
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(this));
        // The SASL APIs are advertised on every listener, as Kafka's; SaslAuthenticator serves them on SASL ones.
        handlers.put(ApiKeys.SASL_HANDSHAKE, new IllegalSaslStateHandlers.Handshake());
        handlers.put(ApiKeys.SASL_AUTHENTICATE, new IllegalSaslStateHandlers.Authenticate());
    }

    /**
     * Registers the handler of one API.
     *
     * @throws IllegalArgumentException if the API already has a handler (ApiVersions and the SASL APIs are built in),
     *                                  or the handler's
     *                                  range is empty or outside what the pinned kafka-clients jar can parse
     */
    public ApiRegistry register(ApiHandler<?> handler) {
        ApiKeys key = Objects.requireNonNull(handler.apiKey(), "apiKey");
        short oldest = handler.oldestVersion();
        short latest = handler.latestVersion();
        if (oldest > latest || oldest < key.oldestVersion() || latest > key.latestVersion(true)) {
            throw new IllegalArgumentException("Handler " + handler.getClass().getName() + " declares " + key + " v"
                    + oldest + "-" + latest + " outside the parseable range v" + key.oldestVersion() + "-"
                    + key.latestVersion(true));
        }
        if (handlers.containsKey(key)) {
            throw new IllegalArgumentException("A handler is already registered for " + key);
        }
        handlers.put(key, handler);
        return this;
    }

    /** The handler serving {@code key}; ApiVersions is always present. */
    public Optional<ApiHandler<?>> handler(ApiKeys key) {
        return Optional.ofNullable(handlers.get(key));
    }

    /**
     * Sets the client quota hook consulted after every handled request ({@link RequestThrottle}); by default
     * {@link RequestThrottle#NONE}.
     */
    public ApiRegistry throttle(RequestThrottle throttle) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        return this;
    }

    /** The client quota hook, {@link RequestThrottle#NONE} unless {@link #throttle(RequestThrottle)} set one. */
    public RequestThrottle throttle() {
        return throttle;
    }

    /** Sets the request metrics hook told the timings of every answered request; {@link RequestObserver#NONE} by default. */
    public ApiRegistry observer(RequestObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** The request metrics hook. */
    public RequestObserver observer() {
        return observer;
    }

    /** Advertises a supported feature range (e.g. {@code metadata.version}) in ApiVersions v3+. */
    public ApiRegistry supportedFeature(String name, short minVersion, short maxVersion) {
        supportedFeatures.put(name, new short[] {minVersion, maxVersion});
        return this;
    }

    /** Advertises a finalized feature level in ApiVersions v3+; {@code epoch} replaces the finalized epoch. */
    public ApiRegistry finalizedFeature(String name, short level, long epoch) {
        finalizedFeatures.put(name, new short[] {level, level});
        finalizedFeaturesEpoch = epoch;
        return this;
    }

    /** The ApiVersions response body (without error code) listing every registered API and its range. */
    public ApiVersionsResponseData apiVersions() {
        ApiVersionCollection keys = new ApiVersionCollection(handlers.size());
        handlers.forEach((key, handler) -> keys.add(new ApiVersion()
                .setApiKey(key.id)
                .setMinVersion(key == ApiKeys.PRODUCE ? ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION
                        : handler.oldestVersion())
                .setMaxVersion(handler.latestVersion())));
        SupportedFeatureKeyCollection supported = new SupportedFeatureKeyCollection(supportedFeatures.size());
        supportedFeatures.forEach((name, range) -> supported.add(new SupportedFeatureKey()
                .setName(name).setMinVersion(range[0]).setMaxVersion(range[1])));
        FinalizedFeatureKeyCollection finalized = new FinalizedFeatureKeyCollection(finalizedFeatures.size());
        finalizedFeatures.forEach((name, range) -> finalized.add(new FinalizedFeatureKey()
                .setName(name).setMinVersionLevel(range[0]).setMaxVersionLevel(range[1])));
        return new ApiVersionsResponseData()
                .setApiKeys(keys)
                .setSupportedFeatures(supported)
                .setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(finalizedFeaturesEpoch)
                .setZkMigrationReady(false);
    }
}
