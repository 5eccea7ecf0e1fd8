package io.samsa.cli;

import picocli.CommandLine.Command;

/** {@code samsa topics}: create, list, describe, alter (add partitions) and delete topics through the Kafka Admin API. */
@Command(
        name = "topics",
        description = "Create, list, describe, alter and delete topics.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TopicsCreateCommand.class,
            TopicsListCommand.class,
            TopicsDescribeCommand.class,
            TopicsAlterCommand.class,
            TopicsDeleteCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa topics create --topic orders --partitions 6 --replication-factor 3",
            "  samsa topics list",
            "  samsa topics describe --topic orders",
            "  samsa topics alter --topic orders --partitions 12",
            "  samsa topics delete --topic orders"
        })
final class TopicsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: create, list, describe, alter or delete");
    }
}
