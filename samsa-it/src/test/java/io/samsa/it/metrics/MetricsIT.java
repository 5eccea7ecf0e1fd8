package io.samsa.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.broker.SamsaBroker;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.Ports;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker, real kafka-clients, then what an operator checks: {@code /metrics} scraped over HTTP (Prometheus
 * text and OpenMetrics), the same numbers over JMX under Kafka's MBean names (in-process and through a JMX remote
 * connection), and the health routes.
 */
class MetricsIT {
    private static final String TOPIC = "events";

    @TempDir
    Path dir;
    EmbeddedSamsa samsa;

    @AfterEach
    void stop() {
        if (samsa != null) {
            samsa.close();
        }
    }

    private InetSocketAddress http() {
        return samsa.broker().http().addresses().get(0);
    }

    @Test
    void producedAndConsumedRecordsShowInTheMetricsAnOperatorChecks() throws Exception {
        // Given a broker, a topic of 3 partitions, 60 records read and committed by group "readers", then 40 more
        samsa = EmbeddedSamsa.start(dir);
        samsa.createTopic(TOPIC, 3, Map.of());
        produce(60);
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "readers"))) {
            consumer.subscribe(List.of(TOPIC));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < 60 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                read += records.count();
            }
            assertThat(read).isEqualTo(60);
            consumer.commitSync();
            // while it reads, the consumer's fetches go through one incremental fetch session of its 3 partitions
            Scrape reading = scrapeWhen(s -> s.value("kafka_server_fetchsessioncache_numincrementalfetchsessions", "")
                    == 1.0);
            assertThat(reading.value("kafka_server_fetchsessioncache_numincrementalfetchpartitionscached", ""))
                    .isEqualTo(3.0);
            assertThat(reading.value("kafka_server_fetchsessioncache_incrementalfetchsessionevictions_total", ""))
                    .as("1,000 slots: nothing evicted").isZero();
        }
        produce(40);

        // When /metrics is scraped as Prometheus does (no Accept header: text format 0.0.4)
        Scrape scrape = scrapeWhen(s -> s.sum("kafka_consumergroup_lag", "consumergroup=\"readers\"") == 40);

        // Then the content type is Prometheus' text format and the numbers are those of the traffic
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain").contains("version=0.0.4");
        assertThat(scrape.value("kafka_server_brokertopicmetrics_messagesin_total", "topic=\"events\""))
                .isEqualTo(100.0);
        assertThat(scrape.value("kafka_server_brokertopicmetrics_bytesin_total", "topic=\"events\"")).isPositive();
        assertThat(scrape.value("kafka_server_brokertopicmetrics_bytesout_total", "topic=\"events\"")).isPositive();
        int hosted = partitionsInCluster();
        assertThat(scrape.value("kafka_server_replicamanager_partitioncount", "")).isEqualTo(hosted);
        assertThat(scrape.value("kafka_server_replicamanager_leadercount", "")).isEqualTo(hosted);
        assertThat(scrape.value("kafka_server_replicamanager_underreplicatedpartitions", "")).isZero();
        assertThat(scrape.value("kafka_controller_kafkacontroller_activecontrollercount", "")).isEqualTo(1.0);
        assertThat(scrape.value("kafka_controller_kafkacontroller_offlinepartitionscount", "")).isZero();
        assertThat(scrape.value("kafka_log_log_size", "partition=\"0\",topic=\"events\"")).isPositive();
        assertThat(scrape.value("kafka_coordinator_group_groupmetadatamanager_numgroups", "")).isEqualTo(1.0);
        assertThat(scrape.value("kafka_coordinator_group_groupmetadatamanager_numgroupsempty", "")).isEqualTo(1.0);
        assertThat(scrape.sum("kafka_network_requestmetrics_requests_total", "request=\"Produce\"")).isPositive();
        assertThat(scrape.value("kafka_network_requestmetrics_totaltimems_count", "request=\"Produce\""))
                .isPositive();
        assertThat(scrape.value("kafka_network_requestmetrics_totaltimems_count", "request=\"Fetch\"")).isPositive();
        assertThat(scrape.body()).contains("# TYPE kafka_network_requestmetrics_totaltimems histogram")
                .contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_cpu_usage");
        // the lag of each partition is what the group has left to read: log end offset minus committed offset
        Map<TopicPartition, Long> left = recordsLeft("readers");
        for (Map.Entry<TopicPartition, Long> e : left.entrySet()) {
            assertThat(scrape.value("kafka_consumergroup_lag", "consumergroup=\"readers\",partition=\""
                    + e.getKey().partition() + "\",topic=\"events\"")).as("lag of %s", e.getKey())
                    .isEqualTo(e.getValue().doubleValue());
        }

        // And a scraper asking for OpenMetrics gets OpenMetrics
        Scrape open = Scrape.get(http(), "/metrics", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertThat(open.contentType()).startsWith("application/openmetrics-text");
        assertThat(open.body()).contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"events\"} 100")
                .endsWith("# EOF\n");
    }

    @Test
    void theSameNumbersAreReadableOverJmxUnderKafkasMBeanNames() throws Exception {
        // Given a broker that took 25 records
        samsa = EmbeddedSamsa.start(dir);
        samsa.createTopic(TOPIC, 1, Map.of());
        produce(25);
        ObjectName messagesIn = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic="
                + TOPIC);
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

        // Then the platform MBean server has Kafka's MBeans
        assertThat(platform.getAttribute(messagesIn, "Count")).isEqualTo(25L);
        assertThat(platform.getAttribute(new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"),
                "Count")).isEqualTo(25L);
        assertThat(platform.getAttribute(new ObjectName("kafka.server:type=ReplicaManager,name=PartitionCount"),
                "Value")).isEqualTo(1L);
        assertThat((Long) platform.getAttribute(new ObjectName(
                "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce"), "Count")).isPositive();

        // And a JMX client over a remote connection reads them too
        int port = Ports.freePort();
        Registry rmi = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, null, platform);
        server.start();
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            assertThat(remote.getAttribute(messagesIn, "Count")).isEqualTo(25L);
            assertThat(remote.queryNames(new ObjectName("kafka.server:type=BrokerTopicMetrics,*"), null))
                    .contains(messagesIn);
        } finally {
            server.stop();
            UnicastRemoteObject.unexportObject(rmi, true);
        }

        // And closing the broker removes its MBeans
        samsa.close();
        samsa = null;
        assertThat(platform.isRegistered(messagesIn)).isFalse();
    }

    @Test
    void readyOnlyOnceTheBrokerServesClients() throws Exception {
        // Given a broker starting on known ports
        int kafkaPort = Ports.freePort();
        int httpPort = Ports.freePort();
        InetSocketAddress http = new InetSocketAddress("127.0.0.1", httpPort);
        Map<String, String> props = Map.of("listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort,
                "log.dirs", dir.resolve("logs").toString(), "http.listeners", "http://127.0.0.1:" + httpPort);
        CompletableFuture<SamsaBroker> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return SamsaBroker.start(BrokerConfig.fromProperties(props));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Integer> readiness = new ArrayList<>();
        try {
            // When /health/ready answers 200
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                try {
                    Scrape ready = Scrape.get(http, "/health/ready");
                    readiness.add(ready.status());
                    assertThat(ready.status()).as(ready.body()).isIn(200, 503);
                    return ready.status() == 200;
                } catch (java.io.IOException notBoundYet) {
                    return false;
                }
            });
            // Then a client is served at once, and liveness was never in doubt
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort))) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            }
            assertThat(Scrape.get(http, "/health/live").status()).isEqualTo(200);
            assertThat(Scrape.get(http, "/health/live").body()).isEqualTo("ok\n");
            assertThat(Scrape.get(http, "/health/ready").body()).isEqualTo("ready\n");
            assertThat(Scrape.get(http, "/nothing-here").status()).isEqualTo(404);
        } finally {
            starting.get(60, TimeUnit.SECONDS).close();
        }
        assertThat(readiness).last().isEqualTo(200);
    }

    @Test
    void metricsCanBeTurnedOffToMeasureTheirCost() throws Exception {
        // Given a broker started with -Dsamsa.metrics.enabled=false
        System.setProperty("samsa.metrics.enabled", "false");
        try {
            samsa = EmbeddedSamsa.start(dir);
        } finally {
            System.clearProperty("samsa.metrics.enabled");
        }
        samsa.createTopic(TOPIC, 1, Map.of());
        produce(5);

        // Then there is nothing to scrape and no MBean, while health still answers
        Scrape scrape = Scrape.get(http(), "/metrics");
        assertThat(scrape.status()).isEqualTo(404);
        assertThat(scrape.body()).contains("samsa.metrics.enabled=false");
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kafka.server:*"), null))
                .isEmpty();
        assertThat(Scrape.get(http(), "/health/ready").status()).isEqualTo(200);
    }

    private void produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private Scrape scrapeWhen(java.util.function.Predicate<Scrape> condition) {
        Scrape[] last = new Scrape[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = Scrape.get(http(), "/metrics");
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** Partitions of every topic, internal ones included: all hosted and led by the one broker. */
    private int partitionsInCluster() throws Exception {
        try (Admin admin = samsa.admin()) {
            var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            return admin.describeTopics(names).allTopicNames().get().values().stream()
                    .mapToInt(t -> t.partitions().size()).sum();
        }
    }

    /** Per partition of {@link #TOPIC}: log end offset minus the group's committed offset. */
    private Map<TopicPartition, Long> recordsLeft(String group) throws Exception {
        try (Admin admin = samsa.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, Long> left = new java.util.HashMap<>();
            committed.forEach((tp, o) -> left.put(tp, ends.get(tp).offset() - o.offset()));
            assertThat(left.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
            return left;
        }
    }
}
