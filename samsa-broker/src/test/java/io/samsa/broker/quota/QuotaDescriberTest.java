package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.entity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.metadata.QuotaEntity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.junit.jupiter.api.Test;

class QuotaDescriberTest {

    private static final Map<QuotaEntity, Map<String, Double>> QUOTAS = new HashMap<>();

    static {
        QUOTAS.put(entity("alice", true, null, false), Map.of("producer_byte_rate", 1.0));
        QUOTAS.put(entity(null, true, null, false), Map.of("producer_byte_rate", 2.0));
        QUOTAS.put(entity("alice", true, "c1", true), Map.of("consumer_byte_rate", 3.0));
        QUOTAS.put(entity(null, false, "c1", true), Map.of("request_percentage", 4.0));
        QUOTAS.put(new QuotaEntity(Map.of("ip", "1.2.3.4")), Map.of("connection_creation_rate", 5.0));
    }

    private static List<Double> describe(boolean strict, ComponentData... components) {
        DescribeClientQuotasResponseData response = QuotaDescriber.describe(QUOTAS,
                new DescribeClientQuotasRequestData().setStrict(strict).setComponents(List.of(components)));
        return response.entries().stream().flatMap(e -> e.values().stream()).map(v -> v.value()).sorted().toList();
    }

    private static ComponentData exact(String type, String name) {
        return new ComponentData().setEntityType(type).setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_EXACT)
                .setMatch(name);
    }

    private static ComponentData byDefault(String type) {
        return new ComponentData().setEntityType(type).setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT).setMatch(null);
    }

    private static ComponentData any(String type) {
        return new ComponentData().setEntityType(type).setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED).setMatch(null);
    }

    @Test
    void filters() {
        assertThat(describe(false)).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(describe(true)).isEmpty();
        assertThat(describe(false, exact("user", "alice"))).containsExactly(1.0, 3.0);
        assertThat(describe(true, exact("user", "alice"))).containsExactly(1.0);
        assertThat(describe(true, byDefault("user"))).containsExactly(2.0);
        assertThat(describe(true, any("user"))).containsExactly(1.0, 2.0);
        assertThat(describe(false, any("client-id"))).containsExactly(3.0, 4.0);
        assertThat(describe(true, exact("user", "alice"), any("client-id"))).containsExactly(3.0);
        assertThat(describe(true, any("ip"))).containsExactly(5.0);
    }

    @Test
    void malformedFilters() {
        assertThatThrownBy(() -> describe(false, exact("user", "a"), any("user")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Entity type user cannot appear more than once in the filter.");
        assertThatThrownBy(() -> describe(false, any("group"))).isInstanceOf(UnsupportedVersionException.class);
        assertThatThrownBy(() -> describe(false, exact("user", null)))
                .hasMessage("Request specified MATCH_TYPE_EXACT, but set match string to null.");
        assertThatThrownBy(() -> describe(false, any("ip"), any("user"))).isInstanceOf(InvalidRequestException.class);
    }
}
