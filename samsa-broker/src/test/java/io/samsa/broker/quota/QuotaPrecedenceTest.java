package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.entity;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.QuotaEntity;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka's eight levels, most specific first, per quota key. */
class QuotaPrecedenceTest {

    private static final String KEY = "producer_byte_rate";

    /** All eight levels configured, each with its level number as the value. */
    private static Map<QuotaEntity, Map<String, Double>> allLevels() {
        Map<QuotaEntity, Map<String, Double>> q = new HashMap<>();
        q.put(entity("alice", true, "c1", true), Map.of(KEY, 1.0));
        q.put(entity("alice", true, null, true), Map.of(KEY, 2.0));
        q.put(entity("alice", true, null, false), Map.of(KEY, 3.0));
        q.put(entity(null, true, "c1", true), Map.of(KEY, 4.0));
        q.put(entity(null, true, null, true), Map.of(KEY, 5.0));
        q.put(entity(null, true, null, false), Map.of(KEY, 6.0));
        q.put(entity(null, false, "c1", true), Map.of(KEY, 7.0));
        q.put(entity(null, false, null, true), Map.of(KEY, 8.0));
        return q;
    }

    @Test
    void eachLevelWinsOverTheLessSpecificOnes() {
        Map<QuotaEntity, Map<String, Double>> q = allLevels();
        for (int level = 1; level <= 8; level++) {
            QuotaPrecedence.Match match = QuotaPrecedence.resolve(q, KEY, "alice", "c1");
            assertThat(match.level()).as("with levels %d-8 configured", level).isEqualTo(level);
            assertThat(match.bound()).isEqualTo(level);
            // remove the winning level: the next one applies
            int winning = level;
            q.entrySet().removeIf(e -> e.getValue().get(KEY) == winning);
        }
        assertThat(QuotaPrecedence.resolve(q, KEY, "alice", "c1")).isNull();
    }

    @Test
    void userAndClientBeatsClientDefaultAndUserBeatsClient() {
        Map<QuotaEntity, Map<String, Double>> q = new HashMap<>();
        q.put(entity(null, false, null, true), Map.of(KEY, 100.0));          // /clients/<default>
        q.put(entity(null, false, "c1", true), Map.of(KEY, 200.0));          // /clients/c1
        q.put(entity("alice", true, null, false), Map.of(KEY, 300.0));       // /users/alice
        q.put(entity("alice", true, "c1", true), Map.of(KEY, 400.0));        // /users/alice/clients/c1

        assertThat(QuotaPrecedence.resolve(q, KEY, "alice", "c1").bound()).isEqualTo(400.0);
        assertThat(QuotaPrecedence.resolve(q, KEY, "alice", "c2").bound()).isEqualTo(300.0);
        assertThat(QuotaPrecedence.resolve(q, KEY, "bob", "c1").bound()).isEqualTo(200.0);
        assertThat(QuotaPrecedence.resolve(q, KEY, "bob", "c2").bound()).isEqualTo(100.0);
    }

    @Test
    void theMatchedLevelDecidesWhoSharesTheUsage() {
        Map<QuotaEntity, Map<String, Double>> q = new HashMap<>();
        q.put(entity("alice", true, null, false), Map.of(KEY, 300.0));
        q.put(entity(null, false, null, true), Map.of(KEY, 100.0));

        // a user quota is shared by all the user's client ids
        QuotaPrecedence.Match user = QuotaPrecedence.resolve(q, KEY, "alice", "c9");
        assertThat(user.sensorUser()).isEqualTo("alice");
        assertThat(user.sensorClient()).isEmpty();
        // a client default applies to each client id separately, whoever the user
        QuotaPrecedence.Match client = QuotaPrecedence.resolve(q, KEY, "bob", "c9");
        assertThat(client.sensorUser()).isEmpty();
        assertThat(client.sensorClient()).isEqualTo("c9");
    }

    @Test
    void otherKeysOfTheSameEntityDoNotApply() {
        Map<QuotaEntity, Map<String, Double>> q = Map.of(entity("alice", true, null, false),
                Map.of("consumer_byte_rate", 10.0));
        assertThat(QuotaPrecedence.resolve(q, KEY, "alice", "c1")).isNull();
        assertThat(QuotaPrecedence.resolve(q, "consumer_byte_rate", "alice", "c1").bound()).isEqualTo(10.0);
    }
}
