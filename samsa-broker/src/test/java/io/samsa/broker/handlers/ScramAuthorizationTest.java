package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.protocol.RequestContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

/** Who may alter and describe SCRAM credentials: ALTER / DESCRIBE on the cluster, as Kafka checks. */
class ScramAuthorizationTest {
    /** Refuses everything and records what it was asked. */
    static final class DenyAll implements RequestAuthorizer {
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType,
                                 String resourceName) {
            asked.add(operation + " " + resourceType + " " + resourceName);
            return false;
        }

        @Override
        public boolean authorizeByResourceType(RequestContext context, AclOperation operation,
                                               ResourceType resourceType) {
            return false;
        }
    }

    private static RequestContext context(ApiKeys api) {
        return new RequestContext(new RequestHeader(api, (short) 0, "c", 1),
                new InetSocketAddress("127.0.0.1", 5000), "conn", "SASL_PLAINTEXT",
                SecurityProtocol.SASL_PLAINTEXT, new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "mallory"));
    }

    private static BrokerContext broker(RequestAuthorizer authorizer) {
        return new BrokerContext(null, null, null, null, null, null, null, null, null, authorizer);
    }

    @Test
    void alter_without_alter_on_the_cluster_fails_every_user() throws Exception {
        DenyAll authorizer = new DenyAll();
        var request = new AlterUserScramCredentialsRequestData().setDeletions(List.of(
                new ScramCredentialDeletion().setName("bob").setMechanism((byte) 1),
                new ScramCredentialDeletion().setName("alice").setMechanism((byte) 2)));

        var response = new AlterUserScramCredentialsHandler(broker(authorizer))
                .handle(context(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS), request).get();

        assertThat(authorizer.asked).containsExactly("ALTER CLUSTER kafka-cluster");
        assertThat(response.results()).extracting(AlterUserScramCredentialsResult::user)
                .containsExactly("alice", "bob");
        assertThat(response.results()).allMatch(r -> r.errorCode() == Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void describe_without_describe_on_the_cluster_is_a_top_level_error() throws Exception {
        DenyAll authorizer = new DenyAll();
        var handler = new DescribeUserScramCredentialsHandler(broker(authorizer));

        var named = handler.handle(context(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS),
                new DescribeUserScramCredentialsRequestData().setUsers(List.of(new UserName().setName("alice"))))
                .get();
        var all = handler.handle(context(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS),
                new DescribeUserScramCredentialsRequestData().setUsers(null)).get();

        assertThat(authorizer.asked).containsExactly("DESCRIBE CLUSTER kafka-cluster",
                "DESCRIBE CLUSTER kafka-cluster");
        assertThat(named.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(named.results()).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        assertThat(all.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(all.results()).isEmpty();
    }
}
