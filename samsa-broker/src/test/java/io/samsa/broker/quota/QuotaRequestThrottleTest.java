package io.samsa.broker.quota;

import static io.samsa.broker.quota.QuotaPrecedence.entity;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.QuotaEntity;
import io.samsa.protocol.RequestContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** What each request costs its quota entity, as Kafka's KafkaApis records it. */
class QuotaRequestThrottleTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicReference<Map<QuotaEntity, Map<String, Double>>> quotas = new AtomicReference<>(Map.of());
    private final ClientQuotaManager manager = new ClientQuotaManager(QuotaSettings.DEFAULTS, quotas::get, clock::get);
    private final QuotaRequestThrottle throttle = new QuotaRequestThrottle(manager);

    private static RequestContext context(ApiKeys api, short version, String clientId) {
        return new RequestContext(new RequestHeader(api, version, clientId, 1), null, "c-1", "PLAINTEXT");
    }

    private static FetchResponseData fetchResponse(int recordBytes) {
        FetchResponseData data = new FetchResponseData();
        var topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0)
                .setRecords(MemoryRecords.readableRecords(java.nio.ByteBuffer.allocate(recordBytes))));
        data.responses().add(topic);
        return data;
    }

    @Test
    void produceRequestBytesCountAgainstProducerByteRate() {
        quotas.set(Map.of(entity(null, false, "p", true), Map.of("producer_byte_rate", 1000.0)));
        ProduceRequest request = new ProduceRequest(new ProduceRequestData().setAcks((short) 1), (short) 9);
        // 10000 bytes fit the burst of a fresh sensor (10 windows' worth); 10000 more are 10 s over
        assertThat(throttle.throttleTimeMs(context(ApiKeys.PRODUCE, (short) 9, "p"), request, 10_000,
                new ProduceResponseData(), 0)).isZero();
        assertThat(throttle.throttleTimeMs(context(ApiKeys.PRODUCE, (short) 9, "p"), request, 10_000,
                new ProduceResponseData(), 0)).isEqualTo(10_000);
    }

    @Test
    void aThrottledConsumerFetchIsAnsweredEmptyAndNotCounted() {
        quotas.set(Map.of(entity(null, false, "c", true), Map.of("consumer_byte_rate", 1000.0)));
        FetchRequest request = new FetchRequest(new FetchRequestData().setReplicaId(-1), (short) 12);
        FetchResponseData first = fetchResponse(10_000);
        assertThat(throttle.throttleTimeMs(context(ApiKeys.FETCH, (short) 12, "c"), request, 100, first, 0)).isZero();
        assertThat(first.responses()).hasSize(1);

        FetchResponseData second = fetchResponse(5_000);
        int throttled = throttle.throttleTimeMs(context(ApiKeys.FETCH, (short) 12, "c"), request, 100, second, 0);
        assertThat(throttled).isEqualTo(5_000);
        assertThat(second.responses()).isEmpty();
        // the taken-back bytes are not in the rate
        assertThat(manager.rate(QuotaType.FETCH, org.apache.kafka.common.security.auth.KafkaPrincipal.ANONYMOUS,
                "c", clock.get())).isEqualTo(1000.0);
    }

    @Test
    void followerFetchesAreExempt() {
        quotas.set(Map.of(entity(null, false, null, true), Map.of("consumer_byte_rate", 1.0,
                "request_percentage", 0.001)));
        FetchRequest follower = new FetchRequest(new FetchRequestData().setReplicaId(2), (short) 12);
        FetchResponseData response = fetchResponse(1_000_000);
        assertThat(throttle.throttleTimeMs(context(ApiKeys.FETCH, (short) 12, "broker-2"), follower, 100, response,
                1_000_000_000L)).isZero();
        assertThat(response.responses()).hasSize(1);
    }
}
