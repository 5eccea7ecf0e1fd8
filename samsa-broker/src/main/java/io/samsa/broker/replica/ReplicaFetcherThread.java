package io.samsa.broker.replica;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.utils.LogContext;
import io.samsa.storage.PartitionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the partitions one leader broker leads into this broker's logs (Kafka's {@code ReplicaFetcherThread}).
 *
 * <p>Each partition first truncates (KIP-101/279): the follower asks the leader, with OffsetsForLeaderEpoch, where
 * its latest leader epoch ends on the leader, and cuts its own log there (repeating with an older epoch when the leader
 * never had the follower's), so it never keeps a suffix the leader does not have. Then it fetches from its log end
 * offset with the Fetch API as a replica (replica id and broker epoch, current leader epoch per partition, KIP-320),
 * appends what comes back as it is, and takes the leader's high watermark (bounded by its own log end offset). The
 * fetch offset a follower sends is how the leader learns its progress. Fetches use an incremental fetch session
 * (KIP-227, kafka-clients' {@code FetchSessionHandler}, as Kafka's followers): after the first full fetch a request
 * names only the partitions whose fetch offset changed and a response only the partitions that changed; a session
 * error makes the next fetch a full one.
 *
 * <p>A partition that gets an error waits {@code replica.fetch.backoff.ms}; a new leader epoch from the metadata
 * re-adds it. This thread keeps the partitions, the connection and the fetch session and builds the requests; what
 * each partition's answer does to its log and fetch state is {@link ReplicaFetcherResponses}'s. Thread-safe:
 * {@link #addPartition} and {@link #removePartition} may be called from any thread.
 */
final class ReplicaFetcherThread extends Thread {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplicaFetcherThread.class);

    private final int localId;
    private final int leaderId;
    private final ReplicationSettings settings;
    private final IntFunction<Optional<InetSocketAddress>> leaderAddress;
    private final LongSupplier brokerEpoch;
    private final ReplicaFetcherResponses responses;
    private final Map<TopicPartition, FetchState> partitions = new HashMap<>();
    private volatile boolean running = true;
    private LeaderEndpoint endpoint;
    /** The fetch session with {@link #endpoint}'s broker; a new connection starts a new one. */
    private FetchSessionHandler fetchSession;

    /** One partition's fetch position under one leader epoch. Mutated by the fetcher thread only. */
    static final class FetchState {
        final Partition partition;
        final int leaderEpoch;
        long fetchOffset;
        boolean truncating = true;
        long delayedUntilMs;

        FetchState(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
            this.fetchOffset = partition.log().logEndOffset();
        }
    }

    ReplicaFetcherThread(int localId, int leaderId, ReplicationSettings settings,
                         IntFunction<Optional<InetSocketAddress>> leaderAddress, LongSupplier brokerEpoch,
                         Consumer<TopicPartition> onFollowerHighWatermark) {
        super("samsa-replica-fetcher-" + localId + "-from-" + leaderId);
        setDaemon(true);
        this.localId = localId;
        this.leaderId = leaderId;
        this.settings = settings;
        this.leaderAddress = leaderAddress;
        this.brokerEpoch = brokerEpoch;
        this.responses = new ReplicaFetcherResponses(leaderId, settings, onFollowerHighWatermark);
    }

    synchronized void addPartition(Partition partition, int leaderEpoch) {
        FetchState current = partitions.get(partition.topicPartition());
        if (current != null && current.partition == partition && current.leaderEpoch == leaderEpoch) {
            return;
        }
        partitions.put(partition.topicPartition(), new FetchState(partition, leaderEpoch));
        notifyAll();
    }

    synchronized boolean removePartition(TopicPartition tp) {
        return partitions.remove(tp) != null;
    }

    synchronized boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** Stops the thread and closes its connection; returns once it has exited (or after 5 s). */
    void shutdown() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        LeaderEndpoint e = endpoint;
        if (e != null) {
            e.wakeup();
        }
        try {
            join(5_000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<FetchState> truncating = new ArrayList<>();
                List<FetchState> fetching = new ArrayList<>();
                if (!awaitWork(truncating, fetching)) {
                    continue;
                }
                try {
                    round(truncating, fetching);
                } catch (IOException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOGGER.info("Fetch from leader {} failed: {} (retrying in {} ms)", leaderId, e.toString(),
                            settings.fetchBackoffMs());
                    closeEndpoint();
                    backoff(settings.fetchBackoffMs());
                }
            }
        } finally {
            closeEndpoint();
        }
    }

    /** Waits until some partition is ready; fills the two lists. False when woken with nothing to do. */
    private synchronized boolean awaitWork(List<FetchState> truncating, List<FetchState> fetching) {
        long now = System.currentTimeMillis();
        long nextReady = Long.MAX_VALUE;
        for (FetchState s : partitions.values()) {
            if (s.delayedUntilMs > now) {
                nextReady = Math.min(nextReady, s.delayedUntilMs);
            } else if (s.truncating) {
                truncating.add(s);
            } else {
                fetching.add(s);
            }
        }
        if (!truncating.isEmpty() || !fetching.isEmpty()) {
            return true;
        }
        try {
            wait(nextReady == Long.MAX_VALUE ? 1_000 : Math.max(1, nextReady - now));
        } catch (InterruptedException e) {
            running = false;
        }
        return false;
    }

    private synchronized void backoff(long ms) {
        try {
            wait(ms);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    private synchronized boolean stillCurrent(FetchState s) {
        return partitions.get(s.partition.topicPartition()) == s;
    }

    private LeaderEndpoint endpoint() throws IOException {
        if (endpoint == null) {
            InetSocketAddress address = leaderAddress.apply(leaderId).orElseThrow(() ->
                    new IOException("No endpoint known for broker " + leaderId + " on listener "
                            + settings.interBrokerListener()));
            endpoint = new LeaderEndpoint(localId, leaderId, address.getHostString(), address.getPort(),
                    settings.interBrokerSecurity(), settings.socketTimeoutMs());
            fetchSession = new FetchSessionHandler(new LogContext("[ReplicaFetcher replicaId=" + localId
                    + ", leaderId=" + leaderId + "] "), leaderId);
        }
        return endpoint;
    }

    private void closeEndpoint() {
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
            fetchSession = null;
        }
    }

    /**
     * Truncates the partitions still truncating, else fetches; then writes the checkpoints of the directories whose
     * logs the round truncated, once each, before the next round appends.
     */
    private void round(List<FetchState> truncating, List<FetchState> fetching) throws IOException {
        try {
            if (!truncating.isEmpty()) {
                truncate(truncating);
            } else {
                fetch(fetching);
            }
        } finally {
            responses.checkpointTruncations();
        }
    }

    // ---- truncation (KIP-101/279) ----

    private void truncate(List<FetchState> states) throws IOException {
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        Map<TopicPartition, FetchState> asked = new LinkedHashMap<>();
        for (FetchState s : states) {
            PartitionLog log = s.partition.log();
            OptionalInt latest = log.latestEpochInCache();
            if (latest.isEmpty()) {
                // no epochs (an empty log, or batches without leader epochs): Kafka's fallback, the high watermark
                responses.truncated(s, log.highWatermark(), "no leader epoch in the local log");
                continue;
            }
            TopicPartition tp = s.partition.topicPartition();
            OffsetForLeaderTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new OffsetForLeaderTopic().setTopic(tp.topic());
                topics.add(topic);
            }
            topic.partitions().add(new OffsetForLeaderPartition().setPartition(tp.partition())
                    .setCurrentLeaderEpoch(s.leaderEpoch).setLeaderEpoch(latest.getAsInt()));
            asked.put(tp, s);
        }
        if (asked.isEmpty()) {
            return;
        }
        var response = (OffsetsForLeaderEpochResponse) endpoint().send(
                OffsetsForLeaderEpochRequest.Builder.forFollower(topics, localId));
        for (OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic : response.data().topics()) {
            for (EpochEndOffset p : topic.partitions()) {
                FetchState s = asked.get(new TopicPartition(topic.topic(), p.partition()));
                if (s != null && stillCurrent(s)) {
                    responses.onEpochEndOffset(s, p);
                }
            }
        }
    }

    // ---- fetching ----

    private void fetch(List<FetchState> states) throws IOException {
        LeaderEndpoint leader = endpoint();
        FetchSessionHandler.Builder session = fetchSession.newBuilder(states.size(), false);
        Map<TopicPartition, FetchState> byTp = new HashMap<>();
        Map<Uuid, String> names = new HashMap<>();
        for (FetchState s : states) {
            TopicPartition tp = s.partition.topicPartition();
            Uuid topicId = ReplicaManager.toKafka(s.partition.topicId());
            names.put(topicId, tp.topic());
            session.add(tp, new FetchRequest.PartitionData(topicId, s.fetchOffset, s.partition.log().logStartOffset(),
                    settings.fetchMaxBytes(), Optional.of(s.leaderEpoch), Optional.empty()));
            byTp.put(tp, s);
        }
        FetchSessionHandler.FetchRequestData next = session.build();
        FetchRequest.Builder request = new FetchRequest.Builder(ApiKeys.FETCH.oldestVersion(),
                ApiKeys.FETCH.latestVersion(), localId, brokerEpoch.getAsLong(), settings.fetchWaitMaxMs(),
                settings.fetchMinBytes(), next.toSend())
                .setMaxBytes(settings.fetchResponseMaxBytes())
                .removed(next.toForget())
                .replaced(next.toReplace())
                .metadata(next.metadata());
        ClientResponse exchange = leader.exchange(request);
        var response = (FetchResponse) exchange.responseBody();
        if (!fetchSession.handleResponse(response, exchange.requestHeader().apiVersion())) {
            if (response.error() == Errors.FETCH_SESSION_ID_NOT_FOUND
                    || response.error() == Errors.INVALID_FETCH_SESSION_EPOCH
                    || response.error() == Errors.FETCH_SESSION_TOPIC_ID_ERROR) {
                return; // the session is gone (the leader restarted or evicted it): the next fetch is a full one
            }
            if (response.error() != Errors.NONE) {
                throw new IOException("Fetch from leader " + leaderId + " failed: " + response.error());
            }
            return; // a response the session cannot use (logged by the handler): the next fetch is a full one
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            String name = topic.topic() != null && !topic.topic().isEmpty() ? topic.topic() : names.get(topic.topicId());
            for (FetchResponseData.PartitionData p : topic.partitions()) {
                FetchState s = byTp.get(new TopicPartition(name, p.partitionIndex()));
                if (s != null && stillCurrent(s)) {
                    responses.onFetched(s, p);
                }
            }
        }
    }
}
