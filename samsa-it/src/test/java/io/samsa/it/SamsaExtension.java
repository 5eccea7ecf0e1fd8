package io.samsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedSamsa} per test class, in a fresh temporary directory: started before the class's
 * {@code @BeforeAll} methods, closed after its {@code @AfterAll} methods, and the directory then deleted. Use as
 * {@code @RegisterExtension static final SamsaExtension samsa = new SamsaExtension(Map.of(...overrides))}.
 */
public final class SamsaExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private Path dir;
    private EmbeddedSamsa samsa;

    /** A broker with Kafka-key {@code overrides} (see {@link EmbeddedSamsa#start(Path, Map)}). */
    public SamsaExtension(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** A broker with the defaults. */
    public SamsaExtension() {
        this(Map.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("samsa-it-");
        samsa = EmbeddedSamsa.start(dir, overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (samsa != null) {
                samsa.close();
            }
        } finally {
            samsa = null;
            if (dir != null) {
                deleteRecursively(dir);
                dir = null;
            }
        }
    }

    /** The running broker; only between the class's start and end. */
    public EmbeddedSamsa get() {
        if (samsa == null) {
            throw new IllegalStateException("no broker: use SamsaExtension as a static @RegisterExtension field");
        }
        return samsa;
    }

    /** The temporary directory that holds the broker's data (and anything else the test writes there). */
    public Path dir() {
        if (dir == null) {
            throw new IllegalStateException("no directory: use SamsaExtension as a static @RegisterExtension field");
        }
        return dir;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
