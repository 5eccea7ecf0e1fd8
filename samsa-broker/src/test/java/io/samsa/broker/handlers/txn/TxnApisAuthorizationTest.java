package io.samsa.broker.handlers.txn;

import static io.samsa.broker.security.AllowList.ALICE;
import static io.samsa.broker.security.AllowList.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AllowList;
import io.samsa.protocol.RequestContext;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The transaction APIs refuse what Kafka 4.3 refuses, before the transaction coordinator is asked anything. */
class TxnApisAuthorizationTest {
    private final AllowList acls = new AllowList();
    private final BrokerContext ctx = new BrokerContext(null, null, null, null, null, null, null, null, null, acls);

    private static AddPartitionsToTxnTopicCollection topics(String topic, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partitions)));
        return topics;
    }

    @Test
    void producersNeedWriteOnTheTransactionalIdForEveryPartition() {
        AddPartitionsToTxnRequestData v3 = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx")
                .setV3AndBelowProducerId(1).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(topics("orders", 0, 1));

        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnHandler(ctx, null)
                .handle(request(ApiKeys.ADD_PARTITIONS_TO_TXN, 3, ALICE), v3).join();

        assertThat(response.resultsByTopicV3AndBelow()).singleElement().satisfies(t -> assertThat(
                t.resultsByPartition()).extracting(p -> p.partitionErrorCode())
                .containsOnly(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()).hasSize(2));
    }

    @Test
    void brokerVerificationBatchesNeedClusterAction() {
        AddPartitionsToTxnTransactionCollection txns = new AddPartitionsToTxnTransactionCollection();
        txns.add(new AddPartitionsToTxnTransaction().setTransactionalId("tx").setProducerId(1)
                .setVerifyOnly(true).setTopics(topics("orders", 0)));

        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnHandler(ctx, null).handle(
                request(ApiKeys.ADD_PARTITIONS_TO_TXN, 4, ALICE),
                new AddPartitionsToTxnRequestData().setTransactions(txns)).join();

        assertThat(response.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(response.resultsByTransaction()).isEmpty();
    }

    @Test
    void addOffsetsNeedsWriteOnTheTransactionalIdThenReadOnTheGroup() {
        AddOffsetsToTxnHandler handler = new AddOffsetsToTxnHandler(null, null, acls);
        RequestContext context = request(ApiKeys.ADD_OFFSETS_TO_TXN, 4, ALICE);
        AddOffsetsToTxnRequestData add = new AddOffsetsToTxnRequestData().setTransactionalId("tx").setGroupId("g");

        short noTxn = handler.handle(context, add).join().errorCode();
        acls.allow(ALICE, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tx");
        short noGroup = handler.handle(context, add).join().errorCode();

        assertThat(noTxn).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(noGroup).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void endTxnNeedsWriteAndDescribeNeedsDescribe() {
        acls.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, "tx");

        var end = new EndTxnHandler(null, acls).handle(request(ApiKeys.END_TXN, 5, ALICE),
                new EndTxnRequestData().setTransactionalId("tx").setCommitted(true)).join();
        var described = new DescribeTransactionsHandler(null, acls).handle(
                request(ApiKeys.DESCRIBE_TRANSACTIONS, 0, ALICE),
                new DescribeTransactionsRequestData().setTransactionalIds(List.of("other"))).join();

        assertThat(end.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(end.producerId()).isEqualTo(-1);
        assertThat(described.transactionStates()).extracting(s -> s.transactionalId(), s -> s.errorCode())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("other",
                        Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
    }
}
