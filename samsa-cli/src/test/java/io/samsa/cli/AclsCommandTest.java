package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code samsa acls}: option parsing into resource patterns and filters, without a broker. */
class AclsCommandTest {
    private static CommandLine commandLine() {
        return SamsaCommand.newCommandLine(System.in, new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T leaf(String... args) {
        ParseResult p = commandLine().parseArgs(args);
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return (T) p.commandSpec().userObject();
    }

    @Test
    void operationsParseInKafkasSpellings() {
        AclsAddCommand add = leaf("acls", "add", "--topic", "t");
        for (String text : List.of("describe-configs", "DescribeConfigs", "DESCRIBE_CONFIGS", " describeconfigs ")) {
            assertThat(AclResourceOptions.operation(add.spec, text)).isEqualTo(AclOperation.DESCRIBE_CONFIGS);
        }
        assertThat(AclResourceOptions.operation(add.spec, "All")).isEqualTo(AclOperation.ALL);
        assertThatThrownBy(() -> AclResourceOptions.operation(add.spec, "any"))
                .hasMessageContaining("unknown --operation 'any'");
    }

    @Test
    void addMakesPatternsOfTheNamedResourcesAndTheClusterStaysLiteral() {
        AclsAddCommand add = leaf("acls", "add", "--topic", "a-", "--group", "g-", "--cluster",
                "--resource-pattern-type", "prefixed", "--allow-principal", "User:x");

        assertThat(add.resources.patterns(add.spec, PatternType.LITERAL)).containsExactly(
                new ResourcePattern(ResourceType.TOPIC, "a-", PatternType.PREFIXED),
                new ResourcePattern(ResourceType.GROUP, "g-", PatternType.PREFIXED),
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
    }

    @Test
    void listWithoutResourcesFiltersEverything() {
        AclsListCommand list = leaf("acls", "list");
        assertThat(list.resources.filters(list.spec, PatternType.ANY))
                .containsExactly(new ResourcePatternFilter(ResourceType.ANY, null, PatternType.ANY));

        AclsListCommand match = leaf("acls", "list", "--topic", "orders", "--resource-pattern-type", "MATCH");
        assertThat(match.resources.filters(match.spec, PatternType.ANY))
                .containsExactly(new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH));
    }

    @Test
    void addRefusesMatchAndOperationsTheResourceTypeLacks() {
        AclsAddCommand add = leaf("acls", "add", "--topic", "t", "--resource-pattern-type", "match");
        assertThatThrownBy(() -> add.resources.patterns(add.spec, PatternType.LITERAL))
                .hasMessageContaining("must be LITERAL or PREFIXED");
        assertThatThrownBy(() -> AclResourceOptions.checkSupported(add.spec, ResourceType.GROUP, AclOperation.WRITE))
                .hasMessage("ResourceType GROUP only supports operations READ,DESCRIBE,DELETE,DESCRIBE_CONFIGS,ALTER_CONFIGS,ALL");
    }
}
