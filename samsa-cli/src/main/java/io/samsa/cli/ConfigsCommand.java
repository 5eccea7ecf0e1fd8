package io.samsa.cli;

import picocli.CommandLine.Command;

/** {@code samsa configs}: describe and alter topic and broker configs, like Kafka's {@code kafka-configs}. */
@Command(
        name = "configs",
        description = "Describe and alter topic and broker configs.",
        mixinStandardHelpOptions = true,
        subcommands = {ConfigsDescribeCommand.class, ConfigsAlterCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa configs describe --entity-type topics --entity-name orders",
            "  samsa configs alter --entity-type topics --entity-name orders \\",
            "      --add-config retention.ms=86400000"
        })
final class ConfigsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: describe or alter");
    }
}
