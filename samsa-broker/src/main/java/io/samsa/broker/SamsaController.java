package io.samsa.broker;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.node.NodeDirectories;
import io.samsa.metadata.MetadataQuorum;
import io.samsa.metadata.QuorumConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller-only node ({@code process.roles=controller}): a voter of the metadata quorum, reached at its
 * {@code controller.quorum.voters} address, with no Kafka client listener and no partition logs. Its only directory
 * is {@code metadata.log.dir}.
 *
 * <p>Thread-safe: start once, close once.
 */
public final class SamsaController implements SamsaNode {
    private static final Logger LOGGER = LoggerFactory.getLogger(SamsaController.class);

    private final BrokerConfig config;
    private final MetadataQuorum quorum;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private SamsaController(BrokerConfig config, MetadataQuorum quorum) {
        this.config = config;
        this.quorum = quorum;
    }

    /**
     * Checks {@code meta.properties}, starts the quorum member (waiting for a leader and the cluster id, so a majority
     * of the voters must be up) and writes {@code meta.properties}.
     *
     * @throws io.samsa.broker.node.NodeIdentityException the metadata dir belongs to another node or cluster
     * @throws java.io.IOException                        the directory or port is unusable, or no leader emerged
     */
    public static SamsaController start(BrokerConfig config) throws Exception {
        NodeDirectories directories = NodeDirectories.check(config);
        MetadataQuorum quorum = MetadataQuorum.start(new QuorumConfig(config.nodeId(), config.metadataLogDir(),
                config.controllerQuorumVoters()));
        try {
            directories.agree(quorum.image().clusterId());
        } catch (RuntimeException e) {
            quorum.close();
            throw e;
        }
        LOGGER.info("Samsa started: controller node {} at {}, metadata in {}", config.nodeId(),
                config.controllerQuorumVoters().get(config.nodeId()), config.metadataLogDir());
        return new SamsaController(config, quorum);
    }

    /** This node's quorum member. */
    public MetadataQuorum quorum() {
        return quorum;
    }

    @Override
    public BrokerConfig config() {
        return config;
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public boolean stoppedCleanly() {
        return true;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            quorum.close();
        } catch (Exception e) {
            LOGGER.error("Closing the metadata quorum failed", e);
        } finally {
            shutdown.countDown();
            LOGGER.info("Samsa controller {} shut down", config.nodeId());
        }
    }
}
