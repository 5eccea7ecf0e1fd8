package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code samsa console}: options, help and usage errors, without a broker. */
class ConsoleCommandTest {
    @Test
    void help_shows_the_options_and_examples() {
        CliRun run = CliRun.run("console", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--bootstrap-server").contains("--command-config").contains("--http")
                .contains("http://localhost:9645").contains("samsa console --bootstrap-server localhost:9092");
    }

    @Test
    void an_http_address_that_is_not_a_url_is_refused_with_one_line() {
        CliRun run = CliRun.run("console", "--http", "localhost:9645");

        assertThat(run.exitCode()).isEqualTo(SamsaCommand.EXIT_FAILURE);
        assertThat(run.err()).startsWith("samsa: Not an http://host:port URL: localhost:9645");
    }
}
