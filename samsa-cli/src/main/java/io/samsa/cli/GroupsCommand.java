package io.samsa.cli;

import picocli.CommandLine.Command;

/**
 * {@code samsa groups}: list, describe and delete consumer groups, reset and delete their committed offsets, through
 * the Kafka Admin API (the same calls as Kafka's {@code kafka-consumer-groups}).
 */
@Command(
        name = "groups",
        description = "List, describe and delete consumer groups; reset or delete their offsets.",
        mixinStandardHelpOptions = true,
        subcommands = {
            GroupsListCommand.class,
            GroupsDescribeCommand.class,
            GroupsDeleteCommand.class,
            GroupsResetOffsetsCommand.class,
            GroupsDeleteOffsetsCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa groups list --state",
            "  samsa groups describe --group readers",
            "  samsa groups reset-offsets --group readers --all-topics --to-earliest \\",
            "      --execute"
        })
final class GroupsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: list, describe, delete, reset-offsets or delete-offsets");
    }
}
