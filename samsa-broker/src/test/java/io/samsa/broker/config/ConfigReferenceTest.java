package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code docs/configuration.md} is what {@link ConfigReference} renders from the definitions: it never drifts. */
class ConfigReferenceTest {
    /** The module's folder is the working directory of its tests; the page is at the repository root. */
    private static final Path PAGE = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");

    @Test
    void theCommittedReferenceIsTheRenderedOne() throws Exception {
        // Given the committed page / When the definitions are rendered
        String committed = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
        String rendered = ConfigReference.render();

        // Then they are the same (the first differing line is shown, not two whole pages)
        if (!committed.equals(rendered)) {
            List<String> a = committed.lines().toList();
            List<String> b = rendered.lines().toList();
            int line = 0;
            while (line < Math.min(a.size(), b.size()) && a.get(line).equals(b.get(line))) {
                line++;
            }
            fail("docs/configuration.md is out of date with the config definitions: run `%s` to regenerate it. "
                    + "First difference at line %d:%n  committed: %s%n  rendered:  %s", ConfigReference.REGENERATE,
                    line + 1, line < a.size() ? a.get(line) : "(end of file)",
                    line < b.size() ? b.get(line) : "(end of file)");
        }
    }

    @Test
    void everyKeyIsDocumentedWithItsDefault() {
        String page = ConfigReference.render();

        Stream.concat(BrokerConfigDefs.DEF.keys().values().stream(), TopicConfigDefs.DEF.keys().values().stream()
                        .filter(k -> !TopicConfigDefs.isInternal(k.name())))
                .forEach(key -> assertThat(page).as(key.name())
                        .contains("| `" + key.name() + "` | " + key.type().name().toLowerCase(java.util.Locale.ROOT)
                                + " | `" + ConfigReference.defaultText(key) + "` |"));
        assertThat(page).doesNotContain("internal.segment.bytes");
    }

    @Test
    void everyValidatorDescribesItsValidValues() {
        Stream.concat(BrokerConfigDefs.DEF.keys().values().stream(), TopicConfigDefs.DEF.keys().values().stream())
                .filter(key -> key.validator() != null)
                .forEach(key -> assertThat(key.validator().describe())
                        .as("valid values of %s: wrap its validator with Validators.describe", key.name())
                        .isNotBlank());
    }

    @Test
    void keysAcceptedButNotUsedAndDynamicKeysAreMarked() {
        String page = ConfigReference.render();

        assertThat(page).containsPattern("\\| `socket\\.send\\.buffer\\.bytes` \\|[^\\n]*\\| read-only \\|[^\\n]*"
                + "Accepted, not used\\. \\|");
        assertThat(page).containsPattern("\\| `log\\.retention\\.ms` \\|[^\\n]*\\| cluster-wide \\|");
        assertThat(page).containsPattern("\\| `num\\.partitions` \\| int \\| `1` \\| \\[1,\\.\\.\\.\\] \\| medium \\|");
        assertThat(page).containsPattern("\\| `retention\\.ms` \\|[^\\n]*`log\\.retention\\.ms`, "
                + "`log\\.retention\\.minutes`, `log\\.retention\\.hours` \\|");
    }
}
