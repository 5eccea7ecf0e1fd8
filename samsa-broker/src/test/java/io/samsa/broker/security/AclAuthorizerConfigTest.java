package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Utils;
import io.samsa.protocol.RequestContext;
import org.junit.jupiter.api.Test;

/** {@code authorizer.class.name} and friends, and the authorizer as handlers call it. */
class AclAuthorizerConfigTest {
    private static final String STANDARD = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private static RequestContext context(String user, String ip) {
        return new RequestContext(new RequestHeader(ApiKeys.PRODUCE, ApiKeys.PRODUCE.latestVersion(), "c", 1),
                new InetSocketAddress(ip, 50000), "conn", "PLAINTEXT", SecurityProtocol.PLAINTEXT,
                new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user));
    }

    @Test
    void noAuthorizerByDefault() {
        RequestAuthorizer authorizer = AclAuthorizer.fromConfig(BrokerConfig.fromProperties(Map.of()));

        assertThat(authorizer).isSameAs(RequestAuthorizer.ALLOW_ALL);
        assertThat(authorizer.enabled()).isFalse();
        assertThat(authorizer.authorizedOperations(context("x", "10.0.0.1"), ResourceType.TOPIC, "t"))
                .isEqualTo(Utils.to32BitField(java.util.Set.of((byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7,
                        (byte) 8, (byte) 10, (byte) 11))); // every topic operation, as Kafka without an authorizer
    }

    @Test
    void kafkasStandardAuthorizerAndSamsasClassSelectTheAclAuthorizer() {
        for (String name : new String[] {STANDARD, "io.samsa.broker.security.AclAuthorizer"}) {
            RequestAuthorizer authorizer = AclAuthorizer.fromConfig(BrokerConfig.fromProperties(Map.of(
                    "authorizer.class.name", name, "super.users", "User:admin;User:bob")));
            assertThat(authorizer).isInstanceOf(AclAuthorizer.class);
            assertThat(authorizer.authorize(context("bob", "10.0.0.1"), AclOperation.WRITE, ResourceType.TOPIC, "t"))
                    .isTrue();
            assertThat(authorizer.authorize(context("eve", "10.0.0.1"), AclOperation.WRITE, ResourceType.TOPIC, "t"))
                    .isFalse();
        }
    }

    @Test
    void anotherAuthorizerClassStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("authorizer.class.name",
                "kafka.security.authorizer.AclAuthorizer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorizer.class.name")
                .hasMessageContaining("kafka.security.authorizer.AclAuthorizer");
    }

    @Test
    void aclChangesApplyToTheNextCheckAndAuthorizedOperationsFollowThem() {
        AclAuthorizer authorizer = new AclAuthorizer(java.util.Set.of(), false);
        RequestContext alice = context("alice", "10.0.0.1");
        assertThat(authorizer.authorize(alice, AclOperation.READ, ResourceType.TOPIC, "t")).isFalse();

        authorizer.update(Map.of(UUID.randomUUID(), new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t",
                PatternType.LITERAL), new AccessControlEntry("User:alice", "10.0.0.1", AclOperation.READ,
                AclPermissionType.ALLOW))));

        assertThat(authorizer.authorize(alice, AclOperation.READ, ResourceType.TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize(context("alice", "10.0.0.2"), AclOperation.READ, ResourceType.TOPIC, "t"))
                .isFalse();
        assertThat(Utils.from32BitField(authorizer.authorizedOperations(alice, ResourceType.TOPIC, "t")))
                .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code());
    }

    @Test
    void decisionsNameTheirRuleAsKafkaDoes() {
        AclBinding deny = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "alp", PatternType.PREFIXED),
                new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.DENY));
        AclRules.Decision d = AclRules.decide(AclIndex.of(Map.of(UUID.randomUUID(), deny)), java.util.Set.of(),
                false, "User:bob", "127.0.0.1", AclOperation.READ, ResourceType.TOPIC, "alpha");

        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("MatchingAcl(acl=StandardAcl[resourceType=TOPIC, resourceName=alp, "
                + "patternType=PREFIXED, principal=User:bob, host=*, operation=READ, permissionType=DENY])");
        assertThat(AclRules.decide(AclIndex.EMPTY, java.util.Set.of(), false, "User:bob", "127.0.0.1",
                AclOperation.READ, ResourceType.TOPIC, "alpha").rule()).isEqualTo("DefaultDeny");
    }
}
