package io.samsa.broker.handlers;

import static io.samsa.broker.security.AllowList.ALICE;
import static io.samsa.broker.security.AllowList.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.security.AllowList;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** InitProducerId's checks (Kafka 4.3): WRITE on a transactional id; IDEMPOTENT_WRITE or KIP-679 any topic WRITE. */
class InitProducerIdAuthorizationTest {
    private final AllowList acls = new AllowList();
    private final RequestContext context = request(ApiKeys.INIT_PRODUCER_ID, 5, ALICE);

    @Test
    void transactionalProducersNeedWriteOnTheirTransactionalId() {
        InitProducerIdRequestData init = new InitProducerIdRequestData().setTransactionalId("tx");

        Errors without = InitProducerIdHandler.authorization(acls, context, init);
        acls.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, "tx");
        Errors describeOnly = InitProducerIdHandler.authorization(acls, context, init);
        acls.allow(ALICE, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "t*");
        Errors prefixed = InitProducerIdHandler.authorization(acls, context, init);
        Errors twoPhase = InitProducerIdHandler.authorization(acls, context, init.duplicate().setEnable2Pc(true));

        assertThat(without).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(describeOnly).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(prefixed).isNull();
        assertThat(twoPhase).as("Enable2Pc also needs TWO_PHASE_COMMIT")
                .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    }

    @Test
    void idempotentProducersNeedIdempotentWriteOrWriteOnSomeTopic() {
        InitProducerIdRequestData init = new InitProducerIdRequestData().setTransactionalId(null);

        Errors without = InitProducerIdHandler.authorization(acls, context, init);
        acls.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");
        Errors anyTopic = InitProducerIdHandler.authorization(acls, context, init);
        Errors other = InitProducerIdHandler.authorization(new AllowList().allow(ALICE,
                AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, "kafka-cluster"), context, init);

        assertThat(without).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(anyTopic).isNull();
        assertThat(other).isNull();
    }

    @Test
    void authorizedOperationsAreTheGroupOperationsAllowed() {
        acls.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "g")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "g")
                .allow(ALICE, AclOperation.WRITE, ResourceType.GROUP, "g");

        int bits = AuthorizedOperations.of(acls, context, ResourceType.GROUP, "g");

        assertThat(bits).as("WRITE is no group operation").isEqualTo(
                (1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()));
    }
}
