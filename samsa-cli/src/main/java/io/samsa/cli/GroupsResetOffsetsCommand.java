package io.samsa.cli;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa groups reset-offsets --group G (--topic T[:p,...] | --all-topics) (--to-earliest | --to-latest |
 * --to-offset N | --to-datetime ISO | --shift-by N) [--execute]}: prints the plan (GROUP TOPIC PARTITION NEW-OFFSET);
 * {@code --execute} commits it, only while the group is inactive (Empty or unknown), as Kafka's tool requires. New
 * offsets are clamped to the partition's [earliest, latest] range.
 */
@Command(name = "reset-offsets", description = "Plan (or, with --execute, apply) new committed offsets for a group.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # dry run: prints the plan",
            "  samsa groups reset-offsets --group readers --topic events --to-earliest",
            "  samsa groups reset-offsets --group readers --all-topics --shift-by -100 \\",
            "      --execute",
            "  samsa groups reset-offsets --group readers --topic events:0,1 \\",
            "      --to-datetime 2024-05-01T12:00:00Z --execute"
        })
final class GroupsResetOffsetsCommand extends AdminCommand {
    @Option(names = "--group", required = true, paramLabel = "G", description = "The group.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    static final class Scope {
        @Option(names = "--topic", paramLabel = "T[:p,...]", description = "A topic (and partitions); repeatable.")
        List<String> topics;

        @Option(names = "--all-topics", description = "Every partition the group has offsets for.")
        boolean allTopics;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", description = "The earliest offset.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The latest offset.")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N", description = "This offset.")
        Long offset;

        @Option(names = "--to-datetime", paramLabel = "ISO", description = "The first offset at or after this time.")
        String datetime;

        @Option(names = "--shift-by", paramLabel = "N", description = "The committed offset plus N (may be negative).")
        Long shift;
    }

    @Option(names = "--execute", description = "Apply the plan (default: print it only).")
    boolean execute;

    @Override
    int run(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Set<TopicPartition> partitions = new TreeSet<>(GroupsDescribeCommand.ORDER);
        if (scope.allTopics) {
            committed.forEach((tp, o) -> {
                if (o != null) {
                    partitions.add(tp);
                }
            });
        } else {
            for (String t : scope.topics) {
                partitions.addAll(GroupPartitions.of(admin, t));
            }
        }
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> byTime = target.datetime == null ? Map.of() : offsets(admin, partitions,
                OffsetSpec.forTimestamp(parseTime(target.datetime)));
        Map<TopicPartition, Long> plan = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long lo = earliest.get(tp);
            long hi = latest.get(tp);
            long wanted;
            if (target.earliest) {
                wanted = lo;
            } else if (target.latest) {
                wanted = hi;
            } else if (target.offset != null) {
                wanted = target.offset;
            } else if (target.datetime != null) {
                long at = byTime.getOrDefault(tp, -1L);
                wanted = at < 0 ? hi : at;
            } else {
                OffsetAndMetadata c = committed.get(tp);
                wanted = (c == null ? lo : c.offset()) + target.shift;
            }
            plan.put(tp, Math.max(lo, Math.min(hi, wanted)));
        }
        if (execute) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get();
            if (d.groupState() != GroupState.EMPTY && d.groupState() != GroupState.DEAD) {
                throw new CliException("Assignments can only be reset if the group '" + group
                        + "' is inactive, but the current state is " + d.groupState() + ".");
            }
            Map<TopicPartition, OffsetAndMetadata> alter = new HashMap<>();
            plan.forEach((tp, o) -> alter.put(tp, new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(group, alter).all().get();
        }
        PrintWriter out = spec.commandLine().getOut();
        TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        plan.forEach((tp, o) -> table.add(group, tp.topic(), tp.partition(), o));
        table.print(out);
        if (!execute) {
            out.println("(dry run: add --execute to apply)");
        }
        return 0;
    }

    private static long parseTime(String text) {
        try {
            return new TimestampParser(ZoneId.systemDefault()).parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), SamsaCommand.EXIT_USAGE, e);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!request.isEmpty()) {
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }
}
