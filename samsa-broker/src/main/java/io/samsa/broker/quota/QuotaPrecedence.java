package io.samsa.broker.quota;

import io.samsa.metadata.QuotaEntity;
import java.util.HashMap;
import java.util.Map;

/**
 * Which configured quota applies to a request, with Kafka's precedence ({@code ClientQuotaManager}), per quota key:
 * <ol>
 *   <li>{@code /users/<user>/clients/<client-id>}</li>
 *   <li>{@code /users/<user>/clients/<default>}</li>
 *   <li>{@code /users/<user>}</li>
 *   <li>{@code /users/<default>/clients/<client-id>}</li>
 *   <li>{@code /users/<default>/clients/<default>}</li>
 *   <li>{@code /users/<default>}</li>
 *   <li>{@code /clients/<client-id>}</li>
 *   <li>{@code /clients/<default>}</li>
 * </ol>
 * The matching level also decides who shares the usage: a quota at a user-only level is shared by all the user's
 * client ids, one at a client-only level by all users of that client id, and the others are per (user, client-id);
 * a default quota applies separately to each user or client id it covers (Kafka's metric tags).
 *
 * <p>Stateless and thread-safe; allocates, so callers cache the result.
 */
public final class QuotaPrecedence {

    /** Entity type names of the quota entities (Kafka's {@code ClientQuotaEntity.USER} and friends). */
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";
    public static final String IP = "ip";

    /**
     * The applicable quota.
     *
     * @param bound        the quota value (bytes/s, percent, or mutations/s)
     * @param sensorUser   the user the usage is counted for, "" when shared by all users
     * @param sensorClient the client id the usage is counted for, "" when shared by all client ids
     * @param level        1-8, the precedence level that matched (for tests and logs)
     */
    public record Match(double bound, String sensorUser, String sensorClient, int level) {
    }

    private QuotaPrecedence() {
    }

    /** The quota of {@code key} for a request from {@code user} with {@code clientId}, or null when none applies. */
    public static Match resolve(Map<QuotaEntity, Map<String, Double>> quotas, String key, String user,
                                String clientId) {
        if (quotas.isEmpty()) {
            return null;
        }
        Double v;
        if ((v = value(quotas, key, user, true, clientId, true)) != null) {
            return new Match(v, user, clientId, 1);
        }
        if ((v = value(quotas, key, user, true, null, true)) != null) {
            return new Match(v, user, clientId, 2);
        }
        if ((v = value(quotas, key, user, true, null, false)) != null) {
            return new Match(v, user, "", 3);
        }
        if ((v = value(quotas, key, null, true, clientId, true)) != null) {
            return new Match(v, user, clientId, 4);
        }
        if ((v = value(quotas, key, null, true, null, true)) != null) {
            return new Match(v, user, clientId, 5);
        }
        if ((v = value(quotas, key, null, true, null, false)) != null) {
            return new Match(v, user, "", 6);
        }
        if ((v = value(quotas, key, null, false, clientId, true)) != null) {
            return new Match(v, "", clientId, 7);
        }
        if ((v = value(quotas, key, null, false, null, true)) != null) {
            return new Match(v, "", clientId, 8);
        }
        return null;
    }

    /** An entity of a user and/or client id; a null name is that type's default entity. */
    public static QuotaEntity entity(String user, boolean hasUser, String clientId, boolean hasClient) {
        Map<String, String> entries = new HashMap<>(2);
        if (hasUser) {
            entries.put(USER, user);
        }
        if (hasClient) {
            entries.put(CLIENT_ID, clientId);
        }
        return new QuotaEntity(entries);
    }

    private static Double value(Map<QuotaEntity, Map<String, Double>> quotas, String key, String user,
                                boolean hasUser, String clientId, boolean hasClient) {
        Map<String, Double> values = quotas.get(entity(user, hasUser, clientId, hasClient));
        return values == null ? null : values.get(key);
    }
}
