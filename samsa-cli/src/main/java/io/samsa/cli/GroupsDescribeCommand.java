package io.samsa.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa groups describe --group G}: the group's state, type and assignor, then one row per partition the group
 * has an offset for or a member owns, in {@code kafka-consumer-groups --describe}'s layout: GROUP TOPIC PARTITION
 * CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID ("-" where unknown).
 */
@Command(name = "describe", description = "Describe a consumer group: members, offsets and lag.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # offsets and lag per partition, members",
            "  samsa groups describe --group readers"
        })
final class GroupsDescribeCommand extends AdminCommand {
    @Option(names = "--group", required = true, paramLabel = "G", description = "The group.")
    String group;

    static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    @Override
    int run(Admin admin) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        if (d.groupState().toString().equals("DEAD")) {
            throw new CliException("Consumer group '" + group + "' does not exist.");
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        d.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m)));
        Set<TopicPartition> partitions = new TreeSet<>(ORDER);
        committed.forEach((tp, o) -> {
            if (o != null) {
                partitions.add(tp);
            }
        });
        partitions.addAll(owners.keySet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                : admin.listOffsets(latest).all().get();

        PrintWriter out = spec.commandLine().getOut();
        out.printf("Group %s: state %s, type %s, assignor %s, %d members, coordinator %s%n", group,
                d.groupState(), d.type(), d.partitionAssignor() == null || d.partitionAssignor().isEmpty() ? "-"
                        : d.partitionAssignor(), d.members().size(),
                d.coordinator() == null ? "-" : d.coordinator().host() + ":" + d.coordinator().port()
                        + " (" + d.coordinator().id() + ")");
        if (d.members().isEmpty()) {
            out.printf("Consumer group '%s' has no active members.%n", group);
        }
        out.println();
        TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                "CONSUMER-ID", "HOST", "CLIENT-ID");
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            ListOffsetsResult.ListOffsetsResultInfo end = ends.get(tp);
            MemberDescription owner = owners.get(tp);
            String lag = c != null && end != null ? Long.toString(Math.max(0, end.offset() - c.offset())) : "-";
            table.add(group, tp.topic(), tp.partition(), c == null ? "-" : c.offset(),
                    end == null ? "-" : end.offset(), lag, owner == null ? "-" : owner.consumerId(),
                    owner == null ? "-" : owner.host(), owner == null ? "-" : owner.clientId());
        }
        table.print(out);
        return 0;
    }
}
