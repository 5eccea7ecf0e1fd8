package io.samsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code samsa acls}: add, list and remove ACLs through the Kafka Admin API (CreateAcls, DescribeAcls, DeleteAcls),
 * with the options of Kafka's {@code kafka-acls} tool ({@code org.apache.kafka.tools.AclCommand}) where they fit:
 * {@code --allow-principal}, {@code --deny-principal}, {@code --operation}, {@code --topic}, {@code --group},
 * {@code --cluster}, {@code --transactional-id}, {@code --resource-pattern-type}, {@code --host}.
 */
@Command(
        name = "acls",
        description = "Add, list and remove ACLs (needs authorizer.class.name on the brokers).",
        mixinStandardHelpOptions = true,
        subcommands = {AclsAddCommand.class, AclsListCommand.class, AclsRemoveCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa acls add --allow-principal User:alice --operation Read \\",
            "      --operation Describe --topic orders",
            "  samsa acls list --topic orders",
            "  samsa acls remove --topic orders --allow-principal User:alice"
        })
final class AclsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or remove");
    }

    /** "{@code what}: {@code cause's message}", one line. */
    static CliException failure(String what, Throwable cause) {
        return new CliException(what + ": " + Errors.message(cause), SamsaCommand.EXIT_FAILURE, cause);
    }
}
