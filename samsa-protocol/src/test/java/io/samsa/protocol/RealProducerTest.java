package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java producer of the pinned kafka-clients negotiates versions with the built-in ApiVersions and produces
 * through the server to a fake single-partition "log" (Metadata and Produce handlers with fixed semantics).
 */
class RealProducerTest {

    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    private final List<String> appended = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor();
    private KafkaWireServer server;

    @BeforeEach
    void start() throws InterruptedException {
        ApiRegistry registry = new ApiRegistry()
                .register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA,
                        (ctx, req) -> CompletableFuture.completedFuture(metadata())))
                .register(TestHandlers.<ProduceRequestData>of(ApiKeys.PRODUCE, (ctx, req) ->
                        // Appends happen off the event loop; the records are read before the future completes.
                        CompletableFuture.supplyAsync(() -> append(req), io)));
        server = KafkaWireServer.start(ServerOptions.defaults("127.0.0.1", 0), registry);
    }

    @AfterEach
    void stop() {
        server.close();
        io.shutdownNow();
    }

    private MetadataResponseData metadata() {
        MetadataResponseData data = new MetadataResponseData().setClusterId("samsa-test").setControllerId(1);
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1")
                .setPort(server.port()));
        MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic()
                .setName("t").setTopicId(TOPIC_ID);
        topic.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(0)
                .setLeaderId(1).setLeaderEpoch(0).setReplicaNodes(List.of(1)).setIsrNodes(List.of(1)));
        data.topics().add(topic);
        return data;
    }

    private ProduceResponseData append(ProduceRequestData request) {
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData t : request.topicData()) {
            ProduceResponseData.TopicProduceResponse out = new ProduceResponseData.TopicProduceResponse()
                    .setName(t.name()).setTopicId(t.topicId());
            for (ProduceRequestData.PartitionProduceData p : t.partitionData()) {
                long base = appended.size();
                for (RecordBatch batch : ((MemoryRecords) p.records()).batches()) {
                    for (Record r : batch) {
                        appended.add(StandardCharsets.UTF_8.decode(r.value()).toString());
                    }
                }
                out.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(p.index())
                        .setBaseOffset(base).setLogAppendTimeMs(-1).setLogStartOffset(0));
            }
            response.responses().add(out);
        }
        return response;
    }

    private KafkaProducer<String, String> producer(String acks) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.port(),
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, // no InitProducerId handler here
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    @Test
    void javaProducerWithAcksAllGetsOffsetsInOrder() throws Exception {
        try (KafkaProducer<String, String> producer = producer("all")) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(producer.send(new ProducerRecord<>("t", 0, "k", "v" + i)));
            }
            for (java.util.concurrent.Future<RecordMetadata> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(sent.get(199).get().offset()).isEqualTo(199);
        }
        assertThat(appended).hasSize(200).startsWith("v0", "v1").endsWith("v199");
    }

    @Test
    void javaProducerWithAcksZeroDeliversWithoutResponses() {
        try (KafkaProducer<String, String> producer = producer("0")) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("t", 0, "k", "z" + i));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> appended.size() == 100);
        }
        assertThat(appended).endsWith("z99");
    }
}
