package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.samsa.broker.metrics.KafkaMetrics;
import io.samsa.it.group.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fetch parked on several partitions (min bytes not reached, Kafka's {@code DelayedFetch}) is woken by a produce
 * request only after the request's last append, as Kafka's {@code ActionQueue} does: it is answered with every
 * partition the request wrote. A follower parked on the partitions of a producer's request then gets them in one
 * response, not one response for the first partition and another fetch for the rest.
 */
class ParkedFetchWakeupIT {
    static final String TOPIC = "parked";

    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of());

    @Test
    void aProduceRequestToTwoPartitionsAnswersAFetchParkedOnBothWithBoth() throws Exception {
        Uuid topicId = samsa.get().createTopic(TOPIC, 2, Map.of());
        String bootstrap = samsa.get().bootstrapServers();
        try (RawClient fetcher = new RawClient(bootstrap); RawClient producer = new RawClient(bootstrap)) {
            // Given a fetch of both (empty) partitions that waits up to 30 s for a byte, parked in the purgatory
            CompletableFuture<FetchResponse> parked = CompletableFuture.supplyAsync(() -> fetchBoth(fetcher, topicId));
            await().atMost(Duration.ofSeconds(30)).until(() -> parkedFetches() == 1);

            // When one produce request appends a batch to each partition
            ProduceResponse produced = produce(producer, "to-0", "to-1");
            produced.data().responses().forEach(t -> t.partitionResponses().forEach(p ->
                    assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.NONE)));

            // Then the parked fetch is answered with both batches
            FetchResponse answer = parked.get(30, TimeUnit.SECONDS);
            assertThat(answer.error()).isEqualTo(Errors.NONE);
            assertThat(FetchSessionsIT.answered(answer)).isEqualTo(Map.of(0, List.of("to-0"), 1, List.of("to-1")));
        }
    }

    private static double parkedFetches() {
        Gauge gauge = samsa.get().broker().metrics().registry().find(KafkaMetrics.PURGATORY_SIZE.baseName())
                .tag("delayedOperation", "Fetch").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static FetchResponse fetchBoth(RawClient raw, Uuid topicId) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        for (int p = 0; p < 2; p++) {
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
        }
        FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(30_000).setMinBytes(1)
                .setMaxBytes(1 << 20).setTopics(List.of(topic));
        try {
            return raw.send(new FetchRequest.SimpleBuilder(data), (short) 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProduceResponse produce(RawClient raw, String toPartition0, String toPartition1)
            throws IOException {
        List<ProduceRequestData.PartitionProduceData> partitions = new ArrayList<>();
        String[] values = {toPartition0, toPartition1};
        for (int p = 0; p < 2; p++) {
            partitions.add(new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(values[p].getBytes()))));
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(TOPIC).setPartitionData(partitions));
        return raw.send(ProduceRequest.builder(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000)
                .setTopicData(topics)), (short) 11);
    }
}
