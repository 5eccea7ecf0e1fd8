package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.CLIENT_ID;
import static io.samsa.broker.quota.QuotaPrecedence.IP;
import static io.samsa.broker.quota.QuotaPrecedence.USER;

import io.samsa.metadata.QuotaEntity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;

/**
 * DescribeClientQuotas' filter over the configured quotas, as Kafka's {@code ClientQuotasImage.describe}: each
 * component names an entity type once and matches an exact name ({@code MATCH_TYPE_EXACT}), the default entity
 * ({@code MATCH_TYPE_DEFAULT}) or any entity of that type, default included ({@code MATCH_TYPE_SPECIFIED}); an
 * entity matches when it satisfies every component, and with {@code strict} it must have no other entity types; no
 * component and not strict lists everything. IP components cannot be combined with user or client-id ones.
 *
 * <p>Stateless.
 */
public final class QuotaDescriber {

    private QuotaDescriber() {
    }

    /**
     * @throws InvalidRequestException       a malformed filter (Kafka's messages)
     * @throws UnsupportedVersionException   an entity type other than user, client-id, ip
     */
    public static DescribeClientQuotasResponseData describe(Map<QuotaEntity, Map<String, Double>> quotas,
                                                            DescribeClientQuotasRequestData request) {
        Map<String, String> exact = new HashMap<>();
        Set<String> any = new HashSet<>();
        for (DescribeClientQuotasRequestData.ComponentData c : request.components()) {
            String type = c.entityType();
            if (type.isEmpty()) {
                throw new InvalidRequestException("Invalid empty entity type.");
            }
            if (exact.containsKey(type) || any.contains(type)) {
                throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!IP.equals(type) && !USER.equals(type) && !CLIENT_ID.equals(type)) {
                throw new UnsupportedVersionException("Unsupported entity type " + type);
            }
            switch (c.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> {
                    if (c.match() == null) {
                        throw new InvalidRequestException(
                                "Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exact.put(type, c.match());
                }
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> {
                    if (c.match() != null) {
                        throw new InvalidRequestException(
                                "Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exact.put(type, null);
                }
                case DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED -> {
                    if (c.match() != null) {
                        throw new InvalidRequestException(
                                "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                    any.add(type);
                }
                default -> throw new InvalidRequestException("Unknown match type " + c.matchType());
            }
        }
        boolean ip = exact.containsKey(IP) || any.contains(IP);
        boolean userOrClient = exact.containsKey(USER) || any.contains(USER) || exact.containsKey(CLIENT_ID)
                || any.contains(CLIENT_ID);
        if (ip && userOrClient) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component "
                    + "should not be used with user or clientId filter component.");
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        boolean noFilter = exact.isEmpty() && any.isEmpty();
        if (noFilter && request.strict()) {
            return response;
        }
        quotas.forEach((entity, values) -> {
            if (matches(entity, exact, any, request.strict())) {
                response.entries().add(entry(entity, values));
            }
        });
        return response;
    }

    private static boolean matches(QuotaEntity entity, Map<String, String> exact, Set<String> any, boolean strict) {
        Map<String, String> entries = entity.entries();
        for (Map.Entry<String, String> e : exact.entrySet()) {
            if (!entries.containsKey(e.getKey()) || !java.util.Objects.equals(entries.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        for (String type : any) {
            if (!entries.containsKey(type)) {
                return false;
            }
        }
        return !strict || entries.size() == exact.size() + any.size();
    }

    private static EntryData entry(QuotaEntity entity, Map<String, Double> values) {
        EntryData data = new EntryData();
        entity.entries().forEach((type, name) -> data.entity().add(
                new EntityData().setEntityType(type).setEntityName(name)));
        values.forEach((key, value) -> data.values().add(new ValueData().setKey(key).setValue(value)));
        return data;
    }
}
