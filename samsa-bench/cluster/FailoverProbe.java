import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes one small record every 10 ms with an idempotent acks=all producer to partition 0 of a topic, waiting for
 * each acknowledgement, and prints one line per acknowledged write: {@code ack <sent epoch ms> <acked epoch ms>}.
 * Failures print {@code err <epoch ms> <exception>}; every second it prints {@code retries <epoch ms> <n>}, the
 * producer's {@code record-retry-total} (sends retried after a retriable error such as NOT_LEADER_OR_FOLLOWER, which
 * the application does not see). Runs until killed. Used by cluster-compare.py to time a leader
 * failover: the acknowledgement of the first write sent after the kill (a write acknowledged just before the kill
 * may be read just after it).
 *
 * <p>Run with a Kafka client class path: {@code java -cp 'kafka/lib/*' FailoverProbe.java BOOTSTRAP TOPIC}.
 */
public class FailoverProbe {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "0");
        props.put("delivery.timeout.ms", "120000");
        props.put("request.timeout.ms", "5000");
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "100");
        props.put("metadata.max.age.ms", "1000");
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long lastReport = 0;
            while (true) {
                if (System.currentTimeMillis() - lastReport >= 1000) {
                    lastReport = System.currentTimeMillis();
                    producer.metrics().forEach((name, metric) -> {
                        if (name.name().equals("record-retry-total") && name.group().equals("producer-metrics")) {
                            System.out.println("retries " + System.currentTimeMillis() + " "
                                    + ((Number) metric.metricValue()).longValue());
                        }
                    });
                }
                long sent = System.currentTimeMillis();
                try {
                    producer.send(new ProducerRecord<>(args[1], 0, null, value)).get(130, TimeUnit.SECONDS);
                    System.out.println("ack " + sent + " " + System.currentTimeMillis());
                } catch (Exception e) {
                    System.out.println("err " + System.currentTimeMillis() + " " + e);
                }
                System.out.flush();
                Thread.sleep(10);
            }
        }
    }
}
