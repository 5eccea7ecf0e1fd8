package io.samsa.broker.quota;

import io.samsa.metadata.QuotaEntity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what each quota entity uses and answers throttle times, with Kafka's model ({@code ClientQuotaManager},
 * {@code ClientRequestQuotaManager}, {@code ControllerMutationQuotaManager}): the entity of a request is found by
 * {@link QuotaPrecedence} from the principal's name and the client id; its usage goes into a {@link SampledRate}
 * (byte rates, request time) or a {@link TokenBucket} (controller mutations) shared by everything the matched level
 * covers.
 *
 * <p>Hot path: when no quota is configured every call returns 0 after one volatile read and one reference
 * comparison. Otherwise the (user, client id) → (quota, sensor) resolution is cached in nested concurrent maps (no
 * allocation on a hit) and the cache is dropped whenever the configured quotas change (a new map from the metadata
 * image); the sensors themselves survive quota changes, as Kafka's do. The only lock is the sensor's own monitor.
 *
 * <p>Thread-safe.
 */
public final class ClientQuotaManager {

    private static final Logger LOGGER = LoggerFactory.getLogger(ClientQuotaManager.class);
    private static final Resolved NONE = new Resolved(null, null);

    private final QuotaSettings settings;
    private final Supplier<Map<QuotaEntity, Map<String, Double>>> source;
    private final LongSupplier clockMs;
    private final ConcurrentHashMap<SensorKey, Object> sensors = new ConcurrentHashMap<>();
    private volatile Cache cache;

    /** A quota that applies and the sensor measuring it. */
    private record Resolved(QuotaPrecedence.Match match, Object sensor) {
    }

    private record SensorKey(QuotaType type, String user, String clientId) {
    }

    /** The resolutions for one version of the configured quotas: type → user → client id → resolution. */
    private record Cache(Map<QuotaEntity, Map<String, Double>> quotas,
                         ConcurrentHashMap<String, ConcurrentHashMap<String, Resolved>>[] byType) {
        @SuppressWarnings("unchecked")
        static Cache of(Map<QuotaEntity, Map<String, Double>> quotas) {
            ConcurrentHashMap<String, ConcurrentHashMap<String, Resolved>>[] byType =
                    new ConcurrentHashMap[QuotaType.values().length];
            for (int i = 0; i < byType.length; i++) {
                byType[i] = new ConcurrentHashMap<>();
            }
            return new Cache(quotas, byType);
        }
    }

    /**
     * @param source the configured quotas, entity → key → value (the metadata image's); read on every call and
     *               compared by identity, so it must return the same map while nothing changed
     * @param clockMs wall or test clock in ms
     */
    public ClientQuotaManager(QuotaSettings settings, Supplier<Map<QuotaEntity, Map<String, Double>>> source,
                              LongSupplier clockMs) {
        this.settings = settings;
        this.source = source;
        this.clockMs = clockMs;
        this.cache = Cache.of(Map.of());
    }

    /** Whether any quota is configured (anything to measure at all). */
    public boolean enabled() {
        return !current().quotas().isEmpty();
    }

    public long nowMs() {
        return clockMs.getAsLong();
    }

    /**
     * Records {@code value} (bytes, or request-time percent) for the request's entity and returns the throttle time
     * in ms, 0 when within the quota or when no quota applies. Byte rates are not capped (Kafka); request time is
     * capped at one window ({@code quota.window.size.seconds}), as Kafka's {@code ClientRequestQuotaManager}.
     */
    public int recordAndGetThrottleTimeMs(QuotaType type, KafkaPrincipal principal, String clientId, double value,
                                          long nowMs) {
        Resolved resolved = resolve(type, principal, clientId);
        if (resolved == NONE) {
            return 0;
        }
        long max = type == QuotaType.REQUEST ? settings.windowMs() : Integer.MAX_VALUE;
        long throttle = ((SampledRate) resolved.sensor()).recordAndThrottle(value, nowMs, resolved.match().bound(),
                max);
        if (throttle > 0 && LOGGER.isDebugEnabled()) {
            LOGGER.debug("Quota {}={} violated for user={} clientId={}; throttling {} ms", type.key(),
                    resolved.match().bound(), principal.getName(), clientId, throttle);
        }
        return (int) Math.min(Integer.MAX_VALUE, throttle);
    }

    /** Takes back a recorded value (a throttled fetch is answered empty, so its bytes are not counted). */
    public void unrecord(QuotaType type, KafkaPrincipal principal, String clientId, double value, long nowMs) {
        Resolved resolved = resolve(type, principal, clientId);
        if (resolved != NONE) {
            ((SampledRate) resolved.sensor()).record(-value, nowMs);
        }
    }

    /**
     * Controller mutations (KIP-599): takes {@code partitions} tokens for the request's entity.
     *
     * @param strict true for CreateTopics v6+, DeleteTopics v5+, CreatePartitions v3+: when the bucket is already
     *               empty nothing is taken and the caller answers THROTTLING_QUOTA_EXCEEDED
     * @return the throttle time in ms; in strict mode, &gt; 0 means refused
     */
    public int recordMutation(KafkaPrincipal principal, String clientId, double partitions, boolean strict,
                              long nowMs) {
        Resolved resolved = resolve(QuotaType.CONTROLLER_MUTATION, principal, clientId);
        if (resolved == NONE) {
            return 0;
        }
        TokenBucket bucket = (TokenBucket) resolved.sensor();
        double quota = resolved.match().bound();
        long throttle = strict ? bucket.checkThenRecord(partitions, nowMs, quota)
                : bucket.recordThenCheck(partitions, nowMs, quota);
        return (int) Math.min(Integer.MAX_VALUE, throttle);
    }

    /**
     * The most a single request may add without being throttled even on an idle sensor: the quota times
     * {@code (quota.window.num - 1) * quota.window.size.seconds} (Kafka's {@code maxValueInQuotaWindow}; a consumer
     * fetch's max bytes is capped by it, else a fetch bigger than that would be throttled and answered empty
     * forever). {@link Double#MAX_VALUE} when no quota applies.
     */
    public double maxValueInQuotaWindow(QuotaType type, KafkaPrincipal principal, String clientId) {
        Resolved resolved = resolve(type, principal, clientId);
        if (resolved == NONE) {
            return Double.MAX_VALUE;
        }
        return resolved.match().bound() * (settings.windowNum() - 1) * settings.windowSizeSeconds();
    }

    /** A manager that never finds a quota (tests, tools). */
    public static ClientQuotaManager disabled() {
        return new ClientQuotaManager(QuotaSettings.DEFAULTS, Map::of, System::currentTimeMillis);
    }

    /** The quota that applies to a request, or null (tests, DescribeClientQuotas has its own view). */
    public QuotaPrecedence.Match quotaFor(QuotaType type, KafkaPrincipal principal, String clientId) {
        return resolve(type, principal, clientId).match();
    }

    /** The measured rate per second of the request's entity (0 without a quota). */
    public double rate(QuotaType type, KafkaPrincipal principal, String clientId, long nowMs) {
        Resolved resolved = resolve(type, principal, clientId);
        return resolved.sensor() instanceof SampledRate rate ? rate.rate(nowMs) : 0;
    }

    /** Drops sensors idle for {@code idleMs} (Kafka: one hour); run periodically off the event loops. */
    public void expireIdleSensors(long idleMs) {
        long now = clockMs.getAsLong();
        boolean removed = sensors.entrySet().removeIf(e -> now - lastRecordMs(e.getValue()) >= idleMs);
        if (removed) {
            cache = Cache.of(cache.quotas()); // resolutions may point at removed sensors
        }
    }

    private static long lastRecordMs(Object sensor) {
        return sensor instanceof SampledRate rate ? rate.lastRecordMs() : ((TokenBucket) sensor).lastRecordMs();
    }

    private Cache current() {
        Map<QuotaEntity, Map<String, Double>> quotas = source.get();
        Cache c = cache;
        if (c.quotas() != quotas) {
            c = Cache.of(quotas);
            cache = c;
        }
        return c;
    }

    private Resolved resolve(QuotaType type, KafkaPrincipal principal, String clientId) {
        Cache c = current();
        if (c.quotas().isEmpty()) {
            return NONE;
        }
        String user = principal.getName();
        String client = clientId == null ? "" : clientId;
        ConcurrentHashMap<String, ConcurrentHashMap<String, Resolved>> byUser = c.byType()[type.ordinal()];
        ConcurrentHashMap<String, Resolved> byClient = byUser.get(user);
        if (byClient == null) {
            byClient = byUser.computeIfAbsent(user, u -> new ConcurrentHashMap<>());
        }
        Resolved resolved = byClient.get(client);
        if (resolved == null) {
            resolved = byClient.computeIfAbsent(client, cl -> lookup(c.quotas(), type, user, cl));
        }
        return resolved;
    }

    private Resolved lookup(Map<QuotaEntity, Map<String, Double>> quotas, QuotaType type, String user,
                            String clientId) {
        QuotaPrecedence.Match match = QuotaPrecedence.resolve(quotas, type.key(), user, clientId);
        if (match == null) {
            return NONE;
        }
        SensorKey key = new SensorKey(type, match.sensorUser(), match.sensorClient());
        Object sensor = sensors.computeIfAbsent(key, k -> k.type() == QuotaType.CONTROLLER_MUTATION
                ? new TokenBucket(settings.controllerWindowNum(), settings.controllerWindowMs())
                : new SampledRate(settings.windowNum(), settings.windowMs()));
        return new Resolved(match, sensor);
    }
}
