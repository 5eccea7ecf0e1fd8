package io.samsa.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Each metric's Prometheus name is what the Prometheus JMX exporter would print for Kafka's MBean with the rules of
 * {@code prometheus/jmx_exporter} {@code examples/kafka-kraft-3_0_0.yml} (first matching rule wins, names
 * lower-cased): the rules' patterns and names are applied here, in the file's order, to the MBean Samsa registers.
 */
class ExporterRulesTest {

    /** The rules of kafka-kraft-3_0_0.yml that can match a Yammer MBean with a {@code name} key, in file order. */
    private record Rule(String pattern, String name) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value",
                    "kafka_server_$1_$2"),
            new Rule("kafka.server<type=(.+), name=(.+), clientId=(.+), brokerHost=(.+), brokerPort=(.+)><>Value",
                    "kafka_server_$1_$2"),
            new Rule("kafka.coordinator.(\\w+)<type=(.+), name=(.+)><>Value", "kafka_coordinator_$1_$2_$3"),
            new Rule("kafka.server<type=(.+)><>([a-z-]+)-total", "kafka_server_$1_$2_total"),
            new Rule("kafka.server<type=(.+)><>([a-z-]+)", "kafka_server_$1_$2"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+), (.+)=(.+)><>Count", "kafka_$1_$2_$3_total"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+)><>Count", "kafka_$1_$2_$3_total"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count", "kafka_$1_$2_$3_total"),
            new Rule("kafka.server<type=(.+), user=(.+), client-id=(.+)><>([a-z-]+)", "kafka_server_quota_$4"),
            new Rule("kafka.server<type=(.+), client-id=(.+)><>([a-z-]+)", "kafka_server_quota_$3"),
            new Rule("kafka.server<type=(.+), user=(.+)><>([a-z-]+)", "kafka_server_quota_$3"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+)><>Value", "kafka_$1_$2_$3"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Count", "kafka_$1_$2_$3_count"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Count", "kafka_$1_$2_$3_count"),
            new Rule("kafka.(\\w+)<type=(.+), name=(.+)><>Count", "kafka_$1_$2_$3_count"));

    /** The exporter's name for {@code bean}'s {@code attribute}, or null when no rule matches. */
    private static String exported(ObjectName bean, String attribute) {
        // the exporter's "domain<key=value, ...><>attribute" form, keys in the MBean name's order
        String keys = bean.getKeyPropertyListString().replace(",", ", ");
        String line = bean.getDomain() + "<" + keys + "><>" + attribute;
        for (Rule rule : RULES) {
            Matcher m = Pattern.compile(rule.pattern()).matcher(line);
            if (m.matches()) {
                String name = rule.name();
                for (int g = m.groupCount(); g >= 1; g--) {
                    name = name.replace("$" + g, m.group(g));
                }
                return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_:]", "_");
            }
        }
        return null;
    }

    private static List<KafkaMetric> all() throws IllegalAccessException {
        List<KafkaMetric> metrics = new ArrayList<>();
        for (Field f : KafkaMetrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == KafkaMetric.class) {
                metrics.add((KafkaMetric) f.get(null));
            }
        }
        KafkaMetrics.GROUP_STATES.forEach(state -> metrics.add(KafkaMetrics.groupsIn(state)));
        return metrics;
    }

    @Test
    void everyMetricIsNamedAsTheExporterNamesKafkasMBean() throws Exception {
        for (KafkaMetric metric : all()) {
            if (metric == KafkaMetrics.GROUP_REBALANCES) {
                continue; // a Kafka metrics attribute, not a Yammer MBean: checked below
            }
            ObjectName bean = metric.objectName(metric.tagKeys().stream().map(k -> "x").toList());
            String expected = switch (metric.kind()) {
                case METER, GAUGE -> metric.prometheusName();
                case HISTOGRAM -> metric.baseName() + "_count";
            };
            String attribute = metric.kind() == KafkaMetric.Kind.GAUGE ? "Value" : "Count";
            assertThat(exported(bean, attribute)).as("%s %s", bean, attribute).isEqualTo(expected);
        }
    }

    @Test
    void theRebalanceCountIsNamedAsTheExporterNamesKafkasGroupCoordinatorMetrics() throws Exception {
        // Kafka: kafka.server:type=group-coordinator-metrics, attribute group-rebalance-count
        assertThat(exported(new ObjectName("kafka.server:type=group-coordinator-metrics"), "group-rebalance-count"))
                .isEqualTo(KafkaMetrics.GROUP_REBALANCES.prometheusName());
    }
}
