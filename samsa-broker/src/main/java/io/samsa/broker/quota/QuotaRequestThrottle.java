package io.samsa.broker.quota;

import io.samsa.protocol.RequestContext;
import io.samsa.protocol.RequestThrottle;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Applies the client quotas to every answered request, as Kafka's {@code KafkaApis} does before sending a response:
 * <ul>
 *   <li>Produce: the request's size counts against {@code producer_byte_rate} (acks=0 included);</li>
 *   <li>consumer Fetch: the records in the response count against {@code consumer_byte_rate}; a throttled
 *       sessionless fetch is answered empty and its bytes are taken back (the consumer fetches them again after the
 *       throttle time, KIP-219), as Kafka does; a throttled fetch of an incremental session (KIP-227) keeps its
 *       records (the session has recorded what it told the client) and its bytes count, the muted connection
 *       holding the consumer to its rate; follower fetches are exempt (replication quotas are not client quotas);</li>
 *   <li>every request but inter-broker ones ({@code ApiKeys.clusterAction}, follower fetches): the handler's time
 *       counts against {@code request_percentage}, throttled at most one quota window.</li>
 * </ul>
 * The larger throttle time is returned (the dispatcher writes it into the response and mutes the connection).
 *
 * <p>Thread-safe; allocation-free when no quota is configured.
 */
public final class QuotaRequestThrottle implements RequestThrottle {

    /** Kafka's {@code ClientRequestQuotaManager.NANOS_TO_PERCENTAGE_PER_SECOND}. */
    private static final double NANOS_TO_PERCENTAGE = 100.0 / 1_000_000_000L;

    private final ClientQuotaManager quotas;

    public QuotaRequestThrottle(ClientQuotaManager quotas) {
        this.quotas = quotas;
    }

    @Override
    public int throttleTimeMs(RequestContext context, AbstractRequest request, int requestBytes, ApiMessage response,
                              long handlerNanos) {
        if (!quotas.enabled()) {
            return 0;
        }
        ApiKeys api = request.apiKey();
        boolean followerFetch = api == ApiKeys.FETCH && ((FetchRequest) request).replicaId() >= 0;
        if (api.clusterAction || followerFetch) {
            return 0;
        }
        long now = quotas.nowMs();
        int requestThrottle = quotas.recordAndGetThrottleTimeMs(QuotaType.REQUEST, context.principal(),
                context.clientId(), handlerNanos * NANOS_TO_PERCENTAGE, now);
        return switch (api) {
            case PRODUCE -> Math.max(requestThrottle, quotas.recordAndGetThrottleTimeMs(QuotaType.PRODUCE,
                    context.principal(), context.clientId(), requestBytes, now));
            case FETCH -> fetch(context, response, requestThrottle, now);
            default -> requestThrottle;
        };
    }

    private int fetch(RequestContext context, ApiMessage response, int requestThrottle, long now) {
        if (!(response instanceof FetchResponseData data)) {
            return requestThrottle;
        }
        long bytes = responseRecordBytes(data);
        int bandwidth = quotas.recordAndGetThrottleTimeMs(QuotaType.FETCH, context.principal(), context.clientId(),
                bytes, now);
        int throttle = Math.max(bandwidth, requestThrottle);
        if (throttle > 0 && data.sessionId() == 0) {
            quotas.unrecord(QuotaType.FETCH, context.principal(), context.clientId(), bytes, now);
            data.responses().clear(); // KIP-219: an empty full response with the throttle time
        }
        return throttle;
    }

    /** The bytes of records in a fetch response (Kafka counts the whole response; the records are nearly all of it). */
    static long responseRecordBytes(FetchResponseData data) {
        long bytes = 0;
        for (FetchResponseData.FetchableTopicResponse topic : data.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                BaseRecords records = partition.records();
                if (records != null) {
                    bytes += records.sizeInBytes();
                }
            }
        }
        return bytes;
    }
}
