package io.samsa.broker;

import io.samsa.broker.config.BrokerConfig;

/**
 * A running Samsa process of any {@code process.roles}: a broker (with or without the controller role, {@link
 * SamsaBroker}) or a controller alone ({@link SamsaController}). {@code samsa server} starts one with {@link #start}.
 *
 * <p>Implementations are thread-safe: start once, close once.
 */
public interface SamsaNode extends AutoCloseable {

    /**
     * Starts the node {@code config} describes: {@link SamsaController} for {@code process.roles=controller}, else
     * {@link SamsaBroker}.
     *
     * @throws io.samsa.broker.config.ConfigException    a role Samsa cannot run yet ({@code broker} alone)
     * @throws io.samsa.broker.node.NodeIdentityException a directory belongs to another node or cluster
     * @throws Exception                                 the directories, ports or the quorum are unusable
     */
    static SamsaNode start(BrokerConfig config) throws Exception {
        return config.isBroker() ? SamsaBroker.start(config) : SamsaController.start(config);
    }

    /** The node's settings. */
    BrokerConfig config();

    /** Blocks until {@link #close()} has run. */
    void awaitShutdown() throws InterruptedException;

    /** After {@link #close()}: false when data could not all be flushed; the next start then recovers it. */
    boolean stoppedCleanly();

    /** Stops the node cleanly. */
    @Override
    void close();
}
