package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {
    @Test
    void overrides_win_over_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "# comment\nnode.id=1\nlog.dirs = /data  \nnum.partitions=3\n");

        Map<String, String> props = ServerConfigLoader.properties(file, Map.of("node.id", "7"));

        assertThat(props).containsExactlyInAnyOrderEntriesOf(
                Map.of("node.id", "7", "log.dirs", "/data", "num.partitions", "3"));
    }

    @Test
    void no_file_means_only_the_overrides() {
        assertThat(ServerConfigLoader.properties(null, Map.of("a", "b"))).containsExactly(Map.entry("a", "b"));
    }

    @Test
    void a_missing_file_is_a_usage_error() {
        assertThatThrownBy(() -> ServerConfigLoader.properties(Path.of("/does/not/exist"), Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessage("cannot read /does/not/exist: no such file")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(2);
    }
}
