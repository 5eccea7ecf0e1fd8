package io.samsa.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topic of a {@code samsa perf} run: described, or created with {@code --partitions} and
 * {@code --replication-factor}.
 */
final class PerfTopic {
    private PerfTopic() {
    }

    /**
     * The partition count of {@code perf.topic}, creating the topic first when {@code create} and it is missing.
     * An existing topic is used as it is (a note on {@code err} when {@code --partitions} differs).
     *
     * @throws CliException when the topic is missing and {@code create} is false
     * @throws Exception    the Admin client's failures (the caller translates them)
     */
    static int partitions(ClientOptions client, PerfOptions perf, boolean create, PrintWriter err) throws Exception {
        try (Admin admin = Admin.create(client.admin())) {
            Optional<TopicDescription> existing = describe(admin, perf.topic);
            if (existing.isEmpty() && create) {
                try {
                    admin.createTopics(List.of(new NewTopic(perf.topic, Optional.ofNullable(perf.partitions),
                            Optional.ofNullable(perf.replicationFactor)))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                existing = describeAfterCreate(admin, perf.topic);
            }
            if (existing.isEmpty()) {
                throw new CliException("Topic '" + perf.topic + "' does not exist.");
            }
            int count = existing.get().partitions().size();
            if (perf.partitions != null && perf.partitions != count) {
                err.println("Note: topic " + perf.topic + " exists with " + count + " partitions; --partitions "
                        + perf.partitions + " is ignored.");
            }
            return count;
        }
    }

    /** Metadata reaches the brokers shortly after CreateTopics returns: retry for up to ~5 s. */
    private static Optional<TopicDescription> describeAfterCreate(Admin admin, String topic) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Optional<TopicDescription> d = describe(admin, topic);
            if (d.isPresent()) {
                return d;
            }
            Thread.sleep(100);
        }
        return describe(admin, topic);
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic) throws Exception {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
