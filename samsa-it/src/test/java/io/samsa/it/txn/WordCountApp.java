package io.samsa.it.txn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka Streams word count with {@code processing.guarantee=exactly_once_v2}, run in a child JVM by
 * {@code StreamsExactlyOnceIT} so that it can be killed with SIGKILL: lines of the input topic (String values) become
 * (word, count) records on the output topic (String key, Long value), the count kept in a RocksDB store backed by a
 * changelog; transactions of up to 2 s, no record cache (every update written). Static membership ({@code group.instance.id}) lets a restarted instance take its partitions back at once.
 *
 * <p>Usage: {@code WordCountApp BOOTSTRAP APPLICATION_ID STATE_DIR INPUT OUTPUT}; runs until killed.
 */
public final class WordCountApp {
    private WordCountApp() {
    }

    /** The words of a line: maximal runs of letters and apostrophes, lower-cased, without edge apostrophes. */
    public static List<String> words(String line) {
        return Arrays.stream(line.toLowerCase(Locale.ROOT).split("[^a-z']+"))
                .map(w -> w.replaceAll("^'+|'+$", ""))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String input = args[3];
        String output = args[4];
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        p.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // transactions of up to 2 s and no record cache: every count update is written as it happens, so a kill
        // lands inside an open transaction with written but uncommitted counts
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 2000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), args[1] + "-instance");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(WordCountApp::words)
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));

        CountDownLatch stopped = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.setStateListener((now, before) -> {
            System.out.println("state " + before + " -> " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.start();
        stopped.await();
        streams.close();
        System.exit(1); // only a failure ends the application: the test kills it
    }
}
