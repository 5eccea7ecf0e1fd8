package io.samsa.cli;

import picocli.CommandLine.Command;

/** {@code samsa cluster}: the cluster as operators see it, through the Kafka Admin API. */
@Command(
        name = "cluster",
        description = "Describe the cluster: brokers, controller and metadata quorum.",
        mixinStandardHelpOptions = true,
        subcommands = {ClusterDescribeCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa cluster describe"
        })
final class ClusterCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: describe");
    }
}
