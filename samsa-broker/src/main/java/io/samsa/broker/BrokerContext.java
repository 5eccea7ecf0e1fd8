package io.samsa.broker;

import io.samsa.coordinator.runtime.SerialExecutor;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.replica.DelayedFetchPurgatory;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.quota.ClientQuotaManager;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.MetadataQuorum;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The services API handlers use, passed to each handler at construction.
 *
 * @param config      the broker's settings
 * @param quorum      the metadata quorum member (controller requests, the current image)
 * @param replicas    the partitions this broker hosts
 * @param purgatory   parked fetches
 * @param producerIds hands out producer ids (InitProducerId)
 * @param topics      topic creation with defaults (CreateTopics, auto-creation)
 * @param ioPool      where disk work runs ({@code num.io.threads}); never a Netty event loop
 * @param appends     runs produce appends on the I/O pool in request order per connection
 * @param endpoints   this broker's advertised endpoints, with the bound ports
 * @param authorizer  ACL checks ({@link RequestAuthorizer#ALLOW_ALL} without {@code authorizer.class.name})
 * @param quotas      client quota sensors (controller mutation quotas in CreateTopics and friends, fetch sizes)
 */
public record BrokerContext(
        BrokerConfig config,
        MetadataQuorum quorum,
        ReplicaManager replicas,
        DelayedFetchPurgatory purgatory,
        ProducerIdManager producerIds,
        TopicCreator topics,
        Executor ioPool,
        SerialExecutor appends,
        Supplier<List<BrokerRegistration.Endpoint>> endpoints,
        RequestAuthorizer authorizer,
        ClientQuotaManager quotas) {

    /** A context without client quotas. */
    public BrokerContext(BrokerConfig config, MetadataQuorum quorum, ReplicaManager replicas,
                         DelayedFetchPurgatory purgatory, ProducerIdManager producerIds, TopicCreator topics,
                         Executor ioPool, SerialExecutor appends, Supplier<List<BrokerRegistration.Endpoint>> endpoints,
                         RequestAuthorizer authorizer) {
        this(config, quorum, replicas, purgatory, producerIds, topics, ioPool, appends, endpoints, authorizer,
                ClientQuotaManager.disabled());
    }

    public ClusterImage image() {
        return quorum.image();
    }

    public int nodeId() {
        return config.nodeId();
    }
}
