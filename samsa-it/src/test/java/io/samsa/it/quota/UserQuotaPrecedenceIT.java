package io.samsa.it.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.it.SamsaExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * User quotas on a real broker: on a PLAINTEXT listener the principal is {@code User:ANONYMOUS}, so a quota on user
 * {@code ANONYMOUS} applies to every client id, and a (user, client-id) quota beats it (Kafka's precedence).
 */
class UserQuotaPrecedenceIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static Admin admin(String clientId) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, samsa.get().bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, clientId));
    }

    private static void setQuota(Admin admin, Map<String, String> entity, String key, double value) throws Exception {
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(entity),
                List.of(new ClientQuotaAlteration.Op(key, value))))).all().get();
    }

    @Test
    void aUserQuotaAppliesToAllItsClientIdsAndAUserClientQuotaBeatsIt() throws Exception {
        CreateTopicsOptions noRetry = new CreateTopicsOptions().retryOnQuotaViolation(false);
        try (Admin a = admin("client-a"); Admin b = admin("client-b"); Admin free = admin("free")) {
            // Given controller_mutation_rate=1 for user ANONYMOUS, 1000 for ANONYMOUS with client id "free"
            Map<String, String> anonymous = Map.of(ClientQuotaEntity.USER, "ANONYMOUS");
            setQuota(a, anonymous, "controller_mutation_rate", 1);
            setQuota(a, Map.of(ClientQuotaEntity.USER, "ANONYMOUS", ClientQuotaEntity.CLIENT_ID, "free"),
                    "controller_mutation_rate", 1000);

            // When client-a empties the user's bucket
            a.createTopics(List.of(new NewTopic("user-1", 20, (short) 1)), noRetry).all().get();

            // Then client-b, the same user, is refused too (the user's usage is shared by its client ids)
            assertThatThrownBy(() -> b.createTopics(List.of(new NewTopic("user-2", 1, (short) 1)), noRetry).all()
                    .get()).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ThrottlingQuotaExceededException.class);
            // and the client with its own (user, client-id) quota is not
            free.createTopics(List.of(new NewTopic("user-3", 20, (short) 1)), noRetry).all().get();
            assertThat(free.listTopics().names().get()).contains("user-1", "user-3").doesNotContain("user-2");
        }
    }
}
