package io.samsa.cli;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/** The producer settings of {@code samsa perf produce} and {@code e2e}; unset ones keep the producer's defaults. */
final class PerfProducerOptions {
    @Option(names = "--acks", paramLabel = "all|-1|1|0", converter = AcksConverter.class,
            description = "Acknowledgements to wait for (default: all, the producer's).")
    String acks;

    @Option(names = "--compression", paramLabel = "TYPE",
            description = "none, gzip, snappy, lz4 or zstd (default: none).")
    Compression compression;

    @Option(names = "--linger-ms", paramLabel = "MS", description = "linger.ms (default: the producer's, 5).")
    Integer lingerMs;

    @Option(names = "--batch-size", paramLabel = "BYTES", description = "batch.size (default: the producer's, 16384).")
    Integer batchSize;

    @Option(names = "--warmup-records", paramLabel = "N", defaultValue = "0",
            description = "The first N of --records are sent but left out of the numbers (Kafka's --warmup-records).")
    long warmupRecords;

    /** Usage errors for out-of-range producer options. */
    void validate(picocli.CommandLine.Model.CommandSpec spec, PerfOptions perf) {
        if (warmupRecords < 0 || warmupRecords >= perf.records) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--warmup-records must be >= 0 and < --records");
        }
    }

    /** The summary's extra numbers: {@code warmup_records} when there were some. */
    java.util.Map<String, Double> extra() {
        return warmupRecords == 0 ? java.util.Map.of() : java.util.Map.of("warmup_records", (double) warmupRecords);
    }

    /** Producer properties: {@code base} (client options), these flags, then {@code --property} values. */
    Properties producer(ClientOptions client, PerfOptions perf) {
        Properties p = client.producer();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "samsa-perf-producer");
        if (acks != null) {
            p.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (compression != null) {
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name());
        }
        if (lingerMs != null) {
            p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs.toString());
        }
        if (batchSize != null) {
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize.toString());
        }
        p.putAll(perf.properties);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
