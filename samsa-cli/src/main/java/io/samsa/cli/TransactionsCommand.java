package io.samsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code samsa transactions}: list, describe, abort and find hanging transactions through the Kafka Admin API, in the
 * layout and with the options of Kafka's {@code kafka-transactions} tool ({@code TransactionsCommand}; KIP-664
 * describe-producers / find-hanging / abort, KIP-994 list filters).
 */
@Command(
        name = "transactions",
        description = "List, describe and abort transactions; find hanging ones.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TransactionsListCommand.class,
            TransactionsDescribeCommand.class,
            TransactionsDescribeProducersCommand.class,
            TransactionsAbortCommand.class,
            TransactionsFindHangingCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions list",
            "  samsa transactions describe --transactional-id copier",
            "  samsa transactions find-hanging --broker-id 1"
        })
final class TransactionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing subcommand: list, describe, describe-producers, abort or find-hanging");
    }

    /** "{@code what}: {@code cause's message}", the one line Kafka's tool prints for a failed Admin call. */
    static CliException failure(String what, Throwable cause) {
        return new CliException(what + ": " + Errors.message(cause), SamsaCommand.EXIT_FAILURE, cause);
    }
}
