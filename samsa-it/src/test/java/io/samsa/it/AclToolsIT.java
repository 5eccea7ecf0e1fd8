package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACL management on a broker whose PLAINTEXT clients are super users ({@code super.users=User:ANONYMOUS}): Apache
 * Kafka 4.3.1's {@code kafka-acls} tool ({@code org.apache.kafka.tools.AclCommand}, in a child JVM) and
 * {@code samsa acls} add, list and remove; Kafka's errors for invalid ACLs and for a broker without an authorizer.
 */
class AclToolsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users", "User:admin;User:ANONYMOUS"));
    static Admin admin;

    @BeforeAll
    static void setUp() {
        admin = samsa.get().admin();
    }

    @AfterAll
    static void tearDown() {
        if (admin != null) {
            admin.close();
        }
    }

    private static ChildJvm.Result kafkaAcls(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return ChildJvm.run(samsa.dir(), "org.apache.kafka.tools.AclCommand", all, 90);
    }

    record Run(int exitCode, String out, String err) {
    }

    private static Run samsaAcls(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("acls"));
        all.addAll(List.of(args));
        all.add("--bootstrap-server");
        all.add(samsa.get().bootstrapServers());
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static Collection<AclBinding> aclsOf(String topic) throws Exception {
        return admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic,
                PatternType.ANY), AccessControlEntryFilter.ANY)).values().get();
    }

    @Test
    void kafkaAclsToolAddsListsAndRemoves() throws Exception {
        ChildJvm.Result added = kafkaAcls("--add", "--allow-principal", "User:alice", "--operation", "Read",
                "--operation", "Describe", "--topic", "tool-topic");
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(aclsOf("tool-topic")).containsExactlyInAnyOrder(
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "tool-topic", PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "tool-topic", PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));

        ChildJvm.Result prefixed = kafkaAcls("--add", "--deny-principal", "User:mallory", "--operation", "Write",
                "--topic", "tool-", "--resource-pattern-type", "prefixed");
        assertThat(prefixed.exitCode()).as(prefixed.output()).isZero();

        ChildJvm.Result listed = kafkaAcls("--list", "--topic", "tool-topic");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("name=tool-topic, patternType=LITERAL")
                .contains("principal=User:alice, host=*, operation=READ, permissionType=ALLOW");
        // MATCH: every ACL that applies to the topic, the prefixed DENY included
        ChildJvm.Result matching = kafkaAcls("--list", "--topic", "tool-topic", "--resource-pattern-type", "match");
        assertThat(matching.output()).contains("principal=User:mallory, host=*, operation=WRITE, permissionType=DENY");

        ChildJvm.Result removed = kafkaAcls("--remove", "--force", "--topic", "tool-topic");
        assertThat(removed.exitCode()).as(removed.output()).isZero();
        assertThat(aclsOf("tool-topic")).isEmpty();
        assertThat(aclsOf("tool-")).hasSize(1);
    }

    @Test
    void samsaAclsAddsListsAndRemoves() throws Exception {
        Run added = samsaAcls("add", "--allow-principal", "User:bob", "--operation", "write,describe-configs",
                "--topic", "cli-acl", "--host", "10.0.0.1");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("TOPIC").contains("cli-acl").contains("User:bob").contains("10.0.0.1")
                .contains("DESCRIBE_CONFIGS");

        Run group = samsaAcls("add", "--deny-principal", "User:bob", "--group", "g-", "--resource-pattern-type",
                "PREFIXED", "--operation", "Read");
        assertThat(group.exitCode()).as(group.err()).isZero();

        Run listed = samsaAcls("list", "--principal", "User:bob");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines().toList()).hasSize(4) // header + 3 ACLs
                .anySatisfy(l -> assertThat(l).contains("GROUP").contains("g-").contains("PREFIXED").contains("DENY"));

        Run removed = samsaAcls("remove", "--topic", "cli-acl", "--allow-principal", "User:bob", "--operation",
                "Write");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(aclsOf("cli-acl")).singleElement()
                .satisfies(b -> assertThat(b.entry().operation()).isEqualTo(AclOperation.DESCRIBE_CONFIGS));
    }

    @Test
    void samsaAclsRefusesBadInputInOneLine() {
        Run badOp = samsaAcls("add", "--allow-principal", "User:bob", "--operation", "IdempotentWrite",
                "--topic", "t");
        assertThat(badOp.exitCode()).isNotZero();
        assertThat(badOp.err()).contains("ResourceType TOPIC only supports operations");

        Run badPrincipal = samsaAcls("add", "--allow-principal", "bob", "--topic", "t");
        assertThat(badPrincipal.exitCode()).isNotZero();
        assertThat(badPrincipal.err()).contains("must be TYPE:NAME");
    }

    @Test
    void invalidAclsGetInvalidRequest() {
        AclBinding badCluster = new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "other", PatternType.LITERAL),
                new AccessControlEntry("User:bob", "*", AclOperation.ALTER, AclPermissionType.ALLOW));
        assertThatThrownBy(() -> admin.createAcls(List.of(badCluster)).all().get())
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("The only valid name for the CLUSTER resource is kafka-cluster");
    }

    @Test
    void superUsersMayDoAnything() throws Exception {
        // no ACL at all on this topic, deny by default, but ANONYMOUS is a super user
        samsa.get().createTopic("su-topic", 1, Map.of());
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            producer.send(new ProducerRecord<>("su-topic", "root")).get();
        }
        assertThat(SegmentFiles.values(samsa.get().logDir(), "su-topic", 0)).containsExactly("root");
    }

    @Test
    void withoutAnAuthorizerTheAclApisAnswerSecurityDisabled(@TempDir Path dir) throws Exception {
        try (EmbeddedSamsa plain = EmbeddedSamsa.start(dir); Admin plainAdmin = plain.admin()) {
            assertThatThrownBy(() -> plainAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                    .cause().isInstanceOf(SecurityDisabledException.class).hasMessage("No Authorizer is configured.");
            assertThatThrownBy(() -> plainAdmin.createAcls(List.of(new AclBinding(new ResourcePattern(
                    ResourceType.TOPIC, "t", PatternType.LITERAL), new AccessControlEntry("User:bob", "*",
                    AclOperation.READ, AclPermissionType.ALLOW)))).all().get())
                    .cause().isInstanceOf(SecurityDisabledException.class);
        }
    }
}
