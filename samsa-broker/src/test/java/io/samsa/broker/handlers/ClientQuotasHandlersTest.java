package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Without ALTER_CONFIGS / DESCRIBE_CONFIGS on the cluster, the quota APIs answer CLUSTER_AUTHORIZATION_FAILED. */
class ClientQuotasHandlersTest {

    private static final RequestAuthorizer DENY = new RequestAuthorizer() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
            return false;
        }

        @Override
        public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType type) {
            return false;
        }
    };

    private static BrokerContext deniedContext() {
        return new BrokerContext(null, null, null, null, null, null, Runnable::run, null, null, DENY);
    }

    private static RequestContext request(ApiKeys api) {
        return new RequestContext(new RequestHeader(api, (short) 1, "tool", 1), null, "c-1", "PLAINTEXT");
    }

    @Test
    void describeNeedsDescribeConfigsOnTheCluster() {
        var future = new DescribeClientQuotasHandler(deniedContext())
                .handle(request(ApiKeys.DESCRIBE_CLIENT_QUOTAS), new DescribeClientQuotasRequestData());
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void alterNeedsAlterConfigsOnTheClusterAndEveryEntryGetsTheError() {
        AlterClientQuotasRequestData data = new AlterClientQuotasRequestData();
        data.entries().add(new AlterClientQuotasRequestData.EntryData());
        var future = new AlterClientQuotasHandler(deniedContext())
                .handle(request(ApiKeys.ALTER_CLIENT_QUOTAS), data);
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        // the dispatcher's error response: the code on every entry, as Kafka
        var response = new AlterClientQuotasRequest(data, (short) 1).getErrorResponse(0,
                new ClusterAuthorizationException("Cluster authorization failed."));
        assertThat(response.data().entries()).allSatisfy(e -> assertThat(e.errorCode())
                .isEqualTo(org.apache.kafka.common.protocol.Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
    }
}
