package io.samsa.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa transactions list}: every transactional id of every coordinator (ListTransactions sent to each broker),
 * as {@code kafka-transactions list}: TransactionalId Coordinator ProducerId TransactionState. Filters (KIP-994 and
 * ListTransactions v0): {@code --state} (Kafka's state names, e.g. {@code Ongoing}), {@code --producer-id},
 * {@code --duration-filter} in ms (only transactions running longer than that), {@code --transactional-id-pattern}
 * (a regular expression, KIP-1152).
 */
@Command(name = "list", description = "List transactions.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions list",
            "  samsa transactions list --state Ongoing,PrepareCommit --duration-filter 60000"
        })
final class TransactionsListCommand extends AdminCommand {
    @Option(names = "--state", split = ",", paramLabel = "STATE",
            description = "Only transactions in these states (Empty, Ongoing, PrepareCommit, PrepareAbort, "
                    + "CompleteCommit, CompleteAbort, PrepareEpochFence); repeatable or comma-separated.")
    List<String> states = new ArrayList<>();

    @Option(names = "--producer-id", split = ",", paramLabel = "ID",
            description = "Only transactions of these producer ids; repeatable or comma-separated.")
    List<Long> producerIds = new ArrayList<>();

    @Option(names = "--duration-filter", paramLabel = "MS",
            description = "Only transactions running longer than this many ms (< 0: all).")
    Long durationFilterMs;

    @Option(names = "--transactional-id-pattern", paramLabel = "REGEX",
            description = "Only transactional ids matching this regular expression (KIP-1152).")
    String transactionalIdPattern;

    @Override
    int run(Admin admin) throws Exception {
        ListTransactionsOptions options = new ListTransactionsOptions()
                .filterStates(states.stream().map(this::state).toList())
                .filterProducerIds(producerIds);
        if (transactionalIdPattern != null) {
            options.filterOnTransactionalIdPattern(transactionalIdPattern);
        }
        if (durationFilterMs != null) {
            options.filterOnDuration(durationFilterMs);
        }
        Map<Integer, Collection<TransactionListing>> byBroker;
        try {
            byBroker = admin.listTransactions(options).allByBrokerId().get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to list transactions", e.getCause());
        }
        TextTable table = new TextTable("TransactionalId", "Coordinator", "ProducerId", "TransactionState");
        byBroker.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> e.getValue().stream()
                .sorted(Comparator.comparing(TransactionListing::transactionalId))
                .forEach(l -> table.add(l.transactionalId(), e.getKey(), l.producerId(), l.state())));
        table.print(spec.commandLine().getOut());
        return 0;
    }

    private TransactionState state(String name) {
        TransactionState state = TransactionState.parse(name);
        if (state == TransactionState.UNKNOWN) {
            throw new ParameterException(spec.commandLine(), "unknown transaction state '" + name + "'");
        }
        return state;
    }
}
