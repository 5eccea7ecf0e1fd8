package io.samsa.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedCluster} per test class, in a fresh temporary directory: started before the class's
 * {@code @BeforeAll} methods, closed after its {@code @AfterAll} methods, and the directory then deleted. Use as
 * {@code @RegisterExtension static final ClusterExtension cluster = new ClusterExtension(3, Map.of(...overrides))}.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final int size;
    private final Map<String, String> overrides;
    private final Map<Integer, Map<String, String>> nodeOverrides;
    private Path dir;
    private EmbeddedCluster cluster;

    /** {@code size} nodes with Kafka-key {@code overrides} for all and {@code nodeOverrides} per node id. */
    public ClusterExtension(int size, Map<String, String> overrides, Map<Integer, Map<String, String>> nodeOverrides) {
        this.size = size;
        this.overrides = Map.copyOf(overrides);
        this.nodeOverrides = Map.copyOf(nodeOverrides);
    }

    public ClusterExtension(int size, Map<String, String> overrides) {
        this(size, overrides, Map.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("samsa-cluster-it-");
        cluster = EmbeddedCluster.start(dir, size, overrides, nodeOverrides);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            cluster = null;
            if (dir != null) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // a file still held open by a closing thread: the temporary directory is left behind
                }
                dir = null;
            }
        }
    }

    /** The running cluster; only between the class's start and end. */
    public EmbeddedCluster get() {
        if (cluster == null) {
            throw new IllegalStateException("no cluster: use ClusterExtension as a static @RegisterExtension field");
        }
        return cluster;
    }
}
