package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Apache Kafka 4.3.1's own kafka-topics (TopicCommand, in a child JVM because it calls Exit) against Samsa. */
class ConsoleToolsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static ChildJvm.Result kafkaTopics(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return ChildJvm.run(samsa.dir(), "org.apache.kafka.tools.TopicCommand", all, 90);
    }

    @Test
    void kafkaTopicsCreatesListsAndDescribes() throws Exception {
        ChildJvm.Result created = kafkaTopics("--create", "--topic", "kt-orders", "--partitions", "4",
                "--replication-factor", "1", "--config", "retention.ms=3600000");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("Created topic kt-orders.");

        ChildJvm.Result listed = kafkaTopics("--list");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output().lines()).contains("kt-orders");

        ChildJvm.Result described = kafkaTopics("--describe", "--topic", "kt-orders");
        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).contains("Topic: kt-orders").contains("PartitionCount: 4")
                .contains("Configs: retention.ms=3600000");

        ChildJvm.Result exists = kafkaTopics("--create", "--topic", "kt-orders", "--partitions", "1");
        assertThat(exists.exitCode()).isNotZero();
        assertThat(exists.output()).contains("already exists");
    }
}
