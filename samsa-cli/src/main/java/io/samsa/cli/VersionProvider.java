package io.samsa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.IVersionProvider;

/** {@code samsa --version}: Samsa's version (from the jar's Maven metadata) and the pinned kafka-clients version. */
final class VersionProvider implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/io.samsa/samsa-cli/pom.properties";

    @Override
    public String[] getVersion() {
        return lines();
    }

    static String[] lines() {
        return new String[] {"samsa " + samsaVersion(), "Kafka protocol: kafka-clients " + AppInfoParser.getVersion()};
    }

    static String samsaVersion() {
        String fromManifest = SamsaCommand.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = SamsaCommand.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown (not packaged)";
    }
}
