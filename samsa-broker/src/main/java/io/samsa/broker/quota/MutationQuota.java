package io.samsa.broker.quota;

import io.samsa.protocol.RequestContext;

/**
 * The controller mutation quota of one CreateTopics / DeleteTopics / CreatePartitions request (KIP-599), as Kafka's
 * {@code StrictControllerMutationQuota} / {@code PermissiveControllerMutationQuota}: strict for CreateTopics v6+,
 * DeleteTopics v5+, CreatePartitions v3+ (a topic asked while the entity's bucket is empty is refused with
 * THROTTLING_QUOTA_EXCEEDED), permissive for older versions (everything is done, the client is only throttled).
 * The response's {@code throttle_time_ms} is {@link #throttleTimeMs()}, which also mutes the connection.
 *
 * <p>Not thread-safe: one per request, used by its handler.
 */
public final class MutationQuota {

    private final ClientQuotaManager manager;
    private final RequestContext context;
    private final boolean strict;
    private long throttleMs;
    private long throttleSetAtMs;

    private MutationQuota(ClientQuotaManager manager, RequestContext context, boolean strict) {
        this.manager = manager;
        this.context = context;
        this.strict = strict;
    }

    /** The quota of this request: strict or permissive by its API version. */
    public static MutationQuota forRequest(ClientQuotaManager manager, RequestContext context) {
        short since = QuotaType.strictMutationSince(context.apiKey());
        return new MutationQuota(manager, context, since >= 0 && context.apiVersion() >= since);
    }

    /**
     * Accounts {@code partitions} created or deleted.
     *
     * @return false when refused (strict mode, quota exhausted): answer the topic THROTTLING_QUOTA_EXCEEDED
     */
    public boolean tryRecord(int partitions) {
        if (!manager.enabled()) {
            return true;
        }
        long now = manager.nowMs();
        int throttle = manager.recordMutation(context.principal(), context.clientId(), partitions, strict, now);
        if (throttle > 0) {
            throttleMs = throttle;
            throttleSetAtMs = now;
            return !strict;
        }
        return true;
    }

    /** Whether a topic was refused (strict mode). */
    public boolean strict() {
        return strict;
    }

    /** The throttle time left for the response, ms (0 when the quota was never exceeded). */
    public int throttleTimeMs() {
        if (throttleMs == 0) {
            return 0;
        }
        long left = throttleMs - (manager.nowMs() - throttleSetAtMs);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }
}
