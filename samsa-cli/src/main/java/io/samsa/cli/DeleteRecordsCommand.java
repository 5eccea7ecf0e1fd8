package io.samsa.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa delete-records --topic T --partition P --offset O [--partition P --offset O ...]}: DeleteRecords
 * (API 21) through {@code Admin.deleteRecords}, like Kafka's {@code kafka-delete-records}: every record of the
 * partition before offset O is deleted (O = -1: up to the high watermark). Prints each partition's new low watermark
 * (log start offset). A partition's error (e.g. an offset above the high watermark: OFFSET_OUT_OF_RANGE) is printed
 * and makes the exit code 1.
 */
@Command(name = "delete-records", mixinStandardHelpOptions = true,
        description = "Delete the records of topic partitions before an offset (like kafka-delete-records).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa delete-records --topic events --partition 0 --offset 42",
            "  # everything below the high watermark",
            "  samsa delete-records --topic events --partition 0 --offset -1"
        })
final class DeleteRecordsCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--partition", required = true, paramLabel = "P",
            description = "Partition; repeat with --offset for several partitions.")
    List<Integer> partitions;

    @Option(names = "--offset", required = true, paramLabel = "O",
            description = "Delete records before this offset (-1: the high watermark); one per --partition, or one for all.")
    List<Long> offsets;

    @Override
    int run(Admin admin) throws Exception {
        if (offsets.size() != 1 && offsets.size() != partitions.size()) {
            throw new ParameterException(spec.commandLine(), "give one --offset, or one per --partition");
        }
        Map<TopicPartition, RecordsToDelete> request = new LinkedHashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            long offset = offsets.size() == 1 ? offsets.get(0) : offsets.get(i);
            request.put(new TopicPartition(topic, partitions.get(i)), RecordsToDelete.beforeOffset(offset));
        }
        Map<TopicPartition, KafkaFuture<DeletedRecords>> results = admin.deleteRecords(request).lowWatermarks();
        String failure = null;
        for (Map.Entry<TopicPartition, KafkaFuture<DeletedRecords>> e : results.entrySet()) {
            try {
                long low = e.getValue().get().lowWatermark();
                spec.commandLine().getOut().println("Partition " + e.getKey() + ": low watermark " + low);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof ApiException api)) {
                    throw ex;
                }
                if (failure != null) {
                    spec.commandLine().getErr().println("samsa: " + failure);
                }
                failure = "Partition " + e.getKey() + ": " + api.getMessage();
            }
        }
        if (failure != null) {
            throw new CliException(failure);
        }
        return 0;
    }
}
