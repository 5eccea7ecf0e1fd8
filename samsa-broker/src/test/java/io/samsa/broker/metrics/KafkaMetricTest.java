package io.samsa.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class KafkaMetricTest {

    @Test
    void metersAreNamedAsTheJmxExporterKafkaRulesNameThem() {
        // kafka.(\w+)<type=(.+), name=(.+)PerSec\w*, (.+)=(.+)><>Count -> kafka_$1_$2_$3_total, lower-cased
        assertThat(KafkaMetrics.MESSAGES_IN.prometheusName()).isEqualTo("kafka_server_brokertopicmetrics_messagesin_total");
        assertThat(KafkaMetrics.BYTES_OUT.prometheusName()).isEqualTo("kafka_server_brokertopicmetrics_bytesout_total");
        assertThat(KafkaMetrics.REQUESTS.prometheusName()).isEqualTo("kafka_network_requestmetrics_requests_total");
        assertThat(KafkaMetrics.ISR_SHRINKS.prometheusName()).isEqualTo("kafka_server_replicamanager_isrshrinks_total");
    }

    @Test
    void gaugesAndHistogramsKeepTheirMBeanName() {
        // kafka.(\w+)<type=(.+), name=(.+)><>Value -> kafka_$1_$2_$3
        assertThat(KafkaMetrics.UNDER_REPLICATED.prometheusName())
                .isEqualTo("kafka_server_replicamanager_underreplicatedpartitions");
        assertThat(KafkaMetrics.ACTIVE_CONTROLLER.prometheusName())
                .isEqualTo("kafka_controller_kafkacontroller_activecontrollercount");
        assertThat(KafkaMetrics.LOG_SIZE.prometheusName()).isEqualTo("kafka_log_log_size");
        assertThat(KafkaMetrics.PURGATORY_SIZE.prometheusName())
                .isEqualTo("kafka_server_delayedoperationpurgatory_purgatorysize");
        // kafka.coordinator.(\w+)<type=(.+), name=(.+)><>Value -> kafka_coordinator_$1_$2_$3
        assertThat(KafkaMetrics.groupsIn("Stable").prometheusName())
                .isEqualTo("kafka_coordinator_group_groupmetadatamanager_numgroupsstable");
        // kafka.(\w+)<type=(.+), name=(.+), (.+)=(.+)><>Count -> kafka_$1_$2_$3_count (the histogram's _count)
        assertThat(KafkaMetrics.TOTAL_TIME.prometheusName()).isEqualTo("kafka_network_requestmetrics_totaltimems");
        assertThat(KafkaMetrics.GROUP_REBALANCES.prometheusName())
                .isEqualTo("kafka_server_group_coordinator_metrics_group_rebalance_count");
    }

    @Test
    void objectNamesAreKafkasMBeanNames() {
        assertThat(KafkaMetrics.MESSAGES_IN.objectName(List.of("events")).toString())
                .isEqualTo("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=events");
        assertThat(KafkaMetrics.LOG_SIZE.objectName(List.of("events", "0")).toString())
                .isEqualTo("kafka.log:type=Log,name=Size,topic=events,partition=0");
        assertThat(KafkaMetrics.UNDER_REPLICATED.objectName(List.of()).toString())
                .isEqualTo("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions");
        assertThat(KafkaMetrics.TOTAL_TIME.objectName(List.of("Produce")).toString())
                .isEqualTo("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce");
    }

    @Test
    void valuesJmxCannotHoldAreQuoted() {
        assertThat(KafkaMetrics.MESSAGES_IN.objectName(List.of("a,b=c")).getKeyProperty("topic"))
                .isEqualTo("\"a,b=c\"");
        assertThatThrownBy(() -> KafkaMetrics.LOG_SIZE.objectName(List.of("t")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryExposesTheExporterNames() {
        // Given the meters as the broker registers them
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TopicMetrics topics = new TopicMetrics(registry);
        RequestMetrics requests = new RequestMetrics(registry);
        // When a produce of 3 records (120 bytes) and a fetch of it are counted
        topics.appended("events", 3, 120);
        topics.fetched("events", 120);
        requests.answered(ApiKeys.PRODUCE, (short) 11, 10_000, 2_000_000, 5_000, 2_100_000, false);
        String text = registry.scrape();
        // Then the Prometheus text carries the names dashboards written for the JMX exporter use
        assertThat(text).contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"events\"} 3.0")
                .contains("kafka_server_brokertopicmetrics_bytesin_total{topic=\"events\"} 120.0")
                .contains("kafka_server_brokertopicmetrics_bytesout_total{topic=\"events\"} 120.0")
                .contains("kafka_network_requestmetrics_requests_total{request=\"Produce\",version=\"11\"} 1.0")
                .contains("kafka_network_requestmetrics_totaltimems_count{request=\"Produce\"} 1")
                .contains("# TYPE kafka_network_requestmetrics_totaltimems histogram")
                .contains("kafka_network_requestmetrics_totaltimems_bucket{request=\"Produce\",le=\"5.0\"} 1");
        registry.close();
    }
}
