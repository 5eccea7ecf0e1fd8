package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code samsa transactions}: option parsing, usage errors without a broker, and the hanging-transaction filter. */
class TransactionsCommandTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    private static CommandLine commandLine() {
        return SamsaCommand.newCommandLine(System.in, new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T leaf(ParseResult result) {
        ParseResult p = result;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return (T) p.commandSpec().userObject();
    }

    @Test
    void list_takes_kafkas_filters() {
        TransactionsListCommand list = leaf(commandLine().parseArgs("transactions", "list", "--state",
                "Ongoing,PrepareCommit", "--producer-id", "7", "--producer-id", "8", "--duration-filter", "60000",
                "--transactional-id-pattern", "app-.*", "--bootstrap-server", "h:1"));

        assertThat(list.states).containsExactly("Ongoing", "PrepareCommit");
        assertThat(list.producerIds).containsExactly(7L, 8L);
        assertThat(list.durationFilterMs).isEqualTo(60_000L);
        assertThat(list.transactionalIdPattern).isEqualTo("app-.*");
        assertThat(list.client.bootstrap()).isEqualTo("h:1");
    }

    @Test
    void abort_takes_a_start_offset_or_the_producer_and_its_epochs() {
        TransactionsAbortCommand byOffset = leaf(commandLine().parseArgs("transactions", "abort", "--topic", "t",
                "--partition", "2", "--start-offset", "40"));
        TransactionsAbortCommand byProducer = leaf(commandLine().parseArgs("transactions", "abort", "--topic", "t",
                "--partition", "2", "--producer-id", "9", "--producer-epoch", "3", "--coordinator-epoch", "-1"));

        assertThat(byOffset.target.startOffset).isEqualTo(40L);
        assertThat(byOffset.target.producer).isNull();
        assertThat(byProducer.target.startOffset).isNull();
        assertThat(byProducer.target.producer.producerId).isEqualTo(9L);
        assertThat(byProducer.target.producer.producerEpoch).isEqualTo((short) 3);
        assertThat(byProducer.target.producer.coordinatorEpoch).isEqualTo(-1);
    }

    @Test
    void abort_needs_exactly_one_form_complete() {
        assertThat(CliRun.run("transactions", "abort", "--topic", "t", "--partition", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("transactions", "abort", "--topic", "t", "--partition", "0", "--producer-id", "1")
                .exitCode()).isEqualTo(2);
        assertThat(CliRun.run("transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", "1",
                "--producer-id", "1", "--producer-epoch", "0", "--coordinator-epoch", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void find_hanging_defaults_to_fifteen_minutes_and_needs_a_scope() {
        TransactionsFindHangingCommand find = leaf(commandLine().parseArgs("transactions", "find-hanging",
                "--broker-id", "2"));
        assertThat(find.maxTransactionTimeoutMinutes).isEqualTo(15);
        assertThat(find.brokerId).isEqualTo(2);

        CliRun noScope = CliRun.run("transactions", "find-hanging", "--bootstrap-server", "127.0.0.1:1");
        assertThat(noScope.exitCode()).isEqualTo(2);
        assertThat(noScope.err().lines().findFirst()).hasValue(
                "samsa: find-hanging requires either --topic or --broker-id to limit the scope of the search");
        CliRun partitionOnly = CliRun.run("transactions", "find-hanging", "--broker-id", "1", "--partition", "0",
                "--bootstrap-server", "127.0.0.1:1");
        assertThat(partitionOnly.exitCode()).isEqualTo(2);
        assertThat(partitionOnly.err()).startsWith("samsa: --partition requires --topic");
    }

    @Test
    void an_unknown_state_is_a_usage_error() {
        CliRun run = CliRun.run("transactions", "list", "--state", "Sleeping", "--bootstrap-server", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("samsa: unknown transaction state 'Sleeping'");
    }

    @Test
    void without_a_subcommand_it_names_them() {
        CliRun run = CliRun.run("transactions");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("samsa: missing subcommand: list, describe, describe-producers, abort");
    }

    private static ProducerState open(long producerId, long lastTimestamp, long startOffset) {
        return new ProducerState(producerId, 0, 5, lastTimestamp, OptionalInt.of(1), OptionalLong.of(startOffset));
    }

    private static ProducerState idle(long producerId, long lastTimestamp) {
        return new ProducerState(producerId, 0, 5, lastTimestamp, OptionalInt.of(1), OptionalLong.empty());
    }

    private static TransactionDescription ongoing(long producerId, Set<TopicPartition> partitions) {
        return new TransactionDescription(1, TransactionState.ONGOING, producerId, 0, 60_000, OptionalLong.of(0),
                partitions);
    }

    @Test
    void candidates_are_open_transactions_older_than_the_timeout() {
        long now = 1_000_000;
        Map<TopicPartition, List<ProducerState>> producers = Map.of(
                T0, List.of(open(1, now - 60_001, 10), idle(2, now - 999_999), open(3, now - 60_000, 4)),
                T1, List.of(open(4, now - 500_000, 0)));

        List<HangingTransactions.OpenTransaction> candidates = HangingTransactions.candidates(producers, now, 60_000);

        assertThat(candidates).extracting(c -> c.producer().producerId()).containsExactly(1L, 4L);
    }

    @Test
    void a_candidate_hangs_unless_its_coordinator_still_includes_the_partition() {
        long now = 1_000_000;
        List<HangingTransactions.OpenTransaction> candidates = HangingTransactions.candidates(Map.of(
                T0, List.of(open(1, 0, 10), open(2, 0, 11), open(3, 0, 12)),
                T1, List.of(open(1, 0, 3))), now, 60_000);

        List<HangingTransactions.OpenTransaction> hanging = HangingTransactions.hanging(candidates,
                Map.of(1L, "app-1", 2L, "app-2"),           // producer 3: no transactional id known
                Map.of("app-1", ongoing(1, Set.of(T0))));   // app-2: not found by the coordinator

        assertThat(hanging).extracting(t -> t.partition() + "/" + t.producer().producerId())
                .containsExactly("t-0/2", "t-0/3", "t-1/1");
    }
}
