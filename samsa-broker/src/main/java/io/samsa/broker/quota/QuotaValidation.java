package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.CLIENT_ID;
import static io.samsa.broker.quota.QuotaPrecedence.IP;
import static io.samsa.broker.quota.QuotaPrecedence.USER;

import io.samsa.metadata.QuotaChange;
import io.samsa.metadata.QuotaEntity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * Kafka 4.3's validation of one AlterClientQuotas entry ({@code ClientQuotaControlManager}), all failures
 * INVALID_REQUEST with Kafka's messages: entity types {@code user}, {@code client-id} (alone or together) or
 * {@code ip} (alone, a literal address or a resolvable host; null = default); no empty names; no duplicate keys;
 * keys valid for the entity ({@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_percentage},
 * {@code controller_mutation_rate} for users and clients; {@code connection_creation_rate} for IPs); values greater
 * than 0; integer-valued for the byte rates and the connection rate.
 *
 * <p>Stateless. {@link #entity} may resolve a host name (blocking DNS): call it off the event loop.
 */
public final class QuotaValidation {

    private static final Map<String, Boolean> USER_CLIENT_KEYS = Map.of(
            QuotaType.PRODUCE.key(), true,
            QuotaType.FETCH.key(), true,
            QuotaType.REQUEST.key(), false,
            QuotaType.CONTROLLER_MUTATION.key(), false);
    private static final Map<String, Boolean> IP_KEYS = Map.of(QuotaType.CONNECTION_CREATION_RATE, true);
    private static final double EPSILON = 1e-6;

    private QuotaValidation() {
    }

    /** One requested operation: set {@code value}, or remove the key when {@code remove}. */
    public record Op(String key, double value, boolean remove) {
    }

    /**
     * Validates the entity (entity type → name, in request order; the list allows duplicates to be reported).
     *
     * @throws InvalidRequestException with Kafka's message
     */
    public static QuotaEntity entity(List<Map.Entry<String, String>> components) {
        if (components.isEmpty()) {
            throw new InvalidRequestException("Invalid empty client quota entity");
        }
        Map<String, String> entries = new HashMap<>();
        for (Map.Entry<String, String> c : components) {
            String type = c.getKey();
            String name = c.getValue();
            if (entries.containsKey(type)) {
                throw new InvalidRequestException(
                        "Invalid empty client quota entity, duplicate entity entry " + type);
            }
            if (!USER.equals(type) && !CLIENT_ID.equals(type) && !IP.equals(type)) {
                throw new InvalidRequestException("Unhandled client quota entity type: " + type);
            }
            entries.put(type, name);
            if (name != null && name.isEmpty()) {
                throw new InvalidRequestException("Empty " + type + " not supported");
            }
        }
        boolean user = entries.containsKey(USER);
        boolean client = entries.containsKey(CLIENT_ID);
        boolean ip = entries.containsKey(IP);
        if (ip && (user || client)) {
            throw new InvalidRequestException("Invalid empty client quota entity");
        }
        if (ip && !validIp(entries.get(IP))) {
            throw new InvalidRequestException(entries.get(IP) + " is not a valid IP or resolvable host.");
        }
        return new QuotaEntity(entries);
    }

    /**
     * The changes one entry makes against the current values: a removal only for a key present, a value only when
     * it differs (as Kafka writes records).
     *
     * @throws InvalidRequestException duplicate key, unknown key, value &lt;= 0, fractional integer-valued key
     */
    public static List<QuotaChange> changes(QuotaEntity entity, List<Op> ops, Map<String, Double> current) {
        Map<String, Op> byKey = new LinkedHashMap<>();
        for (Op op : ops) {
            if (byKey.putIfAbsent(op.key(), op) != null) {
                throw new InvalidRequestException("Duplicate quota key " + op.key()
                        + " not updating quota for this entity " + describe(entity));
            }
        }
        Map<String, Boolean> keys = entity.entries().containsKey(IP) ? IP_KEYS : USER_CLIENT_KEYS;
        List<QuotaChange> changes = new ArrayList<>();
        for (Op op : byKey.values()) {
            if (op.remove()) {
                if (current.containsKey(op.key())) {
                    changes.add(new QuotaChange(entity, op.key(), null));
                }
                continue;
            }
            Boolean integral = keys.get(op.key());
            if (integral == null) {
                throw new InvalidRequestException("Invalid configuration key " + op.key());
            }
            double value = op.value();
            if (!(value > 0)) {
                throw new InvalidRequestException("Quota " + op.key() + " must be greater than 0");
            }
            if (integral && Math.abs((double) (long) (value + EPSILON) - value) > EPSILON) {
                throw new InvalidRequestException(op.key() + " cannot be a fractional value.");
            }
            if (!Objects.equals(current.get(op.key()), value)) {
                changes.add(new QuotaChange(entity, op.key(), value));
            }
        }
        return changes;
    }

    /** Kafka's {@code ClientQuotaEntity.toString()} shape, for messages. */
    public static String describe(QuotaEntity entity) {
        return "ClientQuotaEntity(entries=" + entity.entries() + ")";
    }

    private static boolean validIp(String ip) {
        if (ip == null) {
            return true;
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }
}
