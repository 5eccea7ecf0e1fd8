package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.cli.SamsaCommand;
import io.samsa.it.SamsaExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code samsa groups ...} and {@code samsa consume --group} against a live broker. */
class GroupsCliIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4"));

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        samsa.get().createTopic("cli-groups", 2, Map.of());
        try (KafkaProducer<String, String> p = samsa.get().producer(Map.of())) {
            for (int i = 0; i < 20; i++) {
                p.send(new ProducerRecord<>("cli-groups", i % 2, "k", "line-" + i));
            }
            p.flush();
        }
    }

    static Run samsa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void consumeWithAGroupCommitsAndGroupsCommandsShowAndResetIt() throws Exception {
        Run consumed = samsa("consume", "--topic", "cli-groups", "--group", "cli", "--from-beginning",
                "--max-messages", "20");
        assertThat(consumed.code()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines()).hasSize(20);

        Run list = samsa("groups", "list");
        assertThat(list.out().lines()).contains("cli");

        Run describe = samsa("groups", "describe", "--group", "cli");
        assertThat(describe.code()).as(describe.err()).isZero();
        assertThat(describe.out()).contains("state Empty").contains("GROUP").contains("CURRENT-OFFSET")
                .contains("LOG-END-OFFSET").contains("LAG").contains("CONSUMER-ID");
        assertThat(describe.out().lines().filter(l -> l.startsWith("cli ")).map(l -> l.split("\\s+")[5]))
                .containsExactly("0", "0");

        Run dry = samsa("groups", "reset-offsets", "--group", "cli", "--topic", "cli-groups", "--to-earliest");
        assertThat(dry.out()).contains("NEW-OFFSET").contains("dry run");
        try (Admin admin = samsa.get().admin()) {
            assertThat(admin.listConsumerGroupOffsets("cli").partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("cli-groups", 0)).offset()).isEqualTo(10);
        }
        Run exec = samsa("groups", "reset-offsets", "--group", "cli", "--topic", "cli-groups:0", "--shift-by",
                "-3", "--execute");
        assertThat(exec.code()).as(exec.err()).isZero();
        try (Admin admin = samsa.get().admin()) {
            Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets("cli")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(now.get(new TopicPartition("cli-groups", 0)).offset()).isEqualTo(7);
            assertThat(now.get(new TopicPartition("cli-groups", 1)).offset()).isEqualTo(10);
        }
        assertThat(samsa("groups", "describe", "--group", "cli").out().lines()
                .filter(l -> l.startsWith("cli ")).map(l -> l.split("\\s+")[5])).containsExactly("3", "0");

        Run deleteOffsets = samsa("groups", "delete-offsets", "--group", "cli", "--topic", "cli-groups");
        assertThat(deleteOffsets.code()).as(deleteOffsets.err()).isZero();
        assertThat(deleteOffsets.out()).contains("Successful");
        Run delete = samsa("groups", "delete", "--group", "cli");
        assertThat(delete.code()).as(delete.err()).isZero();
        Run gone = samsa("groups", "delete", "--group", "cli");
        assertThat(gone.code()).isNotZero();
        assertThat(gone.err().lines()).hasSize(1);
    }
}
