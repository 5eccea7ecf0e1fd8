package io.samsa.broker.security;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Kafka's StandardAuthorizer rules, one rule per test, over ACL lists. */
class AclRulesTest {
    private static final String ALICE = "User:alice";
    private static final String HOST = "10.0.0.1";

    private final Map<UUID, AclBinding> acls = new LinkedHashMap<>();
    private Set<String> superUsers = Set.of();
    private boolean allowEveryone;

    private AclRulesTest acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                             AclOperation op, AclPermissionType permission) {
        acls.put(UUID.randomUUID(), new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, host, op, permission)));
        return this;
    }

    private AclRulesTest allow(ResourceType type, String name, PatternType pattern, AclOperation op) {
        return acl(type, name, pattern, ALICE, "*", op, ALLOW);
    }

    private AclRulesTest deny(ResourceType type, String name, PatternType pattern, AclOperation op) {
        return acl(type, name, pattern, ALICE, "*", op, DENY);
    }

    private boolean may(String principal, String host, AclOperation op, ResourceType type, String name) {
        return AclRules.decide(AclIndex.of(acls), superUsers, allowEveryone, principal, host, op, type, name).allowed();
    }

    private boolean may(AclOperation op, ResourceType type, String name) {
        return may(ALICE, HOST, op, type, name);
    }

    private boolean mayAny(AclOperation op, ResourceType type) {
        return AclRules.decideByResourceType(AclIndex.of(acls), superUsers, allowEveryone, ALICE, HOST, op, type);
    }

    @Test
    void withoutAnyAclEverythingIsDeniedUnlessAllowEveryoneIfNoAclFound() {
        assertThat(may(WRITE, TOPIC, "t")).isFalse();
        allowEveryone = true;
        assertThat(may(WRITE, TOPIC, "t")).isTrue();
    }

    @Test
    void allowEveryoneOnlyAppliesToResourcesWithoutAnyAcl() {
        allowEveryone = true;
        acl(TOPIC, "t", LITERAL, "User:bob", "*", READ, ALLOW);
        assertThat(may(READ, TOPIC, "t")).isFalse();
        assertThat(may(READ, TOPIC, "other")).isTrue();
    }

    @Test
    void superUsersMayDoAnythingEvenWhenDenied() {
        deny(TOPIC, "t", LITERAL, ALL);
        acl(TOPIC, "t", LITERAL, "User:*", "*", ALL, DENY);
        superUsers = Set.of(ALICE);
        assertThat(may(WRITE, TOPIC, "t")).isTrue();
        assertThat(mayAny(WRITE, TOPIC)).isTrue();
    }

    @Test
    void literalAclCoversOnlyItsName() {
        allow(TOPIC, "t", LITERAL, WRITE);
        assertThat(may(WRITE, TOPIC, "t")).isTrue();
        assertThat(may(WRITE, TOPIC, "t2")).isFalse();
        assertThat(may(READ, TOPIC, "t")).isFalse();
        assertThat(may(WRITE, GROUP, "t")).isFalse();
    }

    @Test
    void wildcardNameCoversEveryResourceOfItsType() {
        allow(TOPIC, "*", LITERAL, READ);
        assertThat(may(READ, TOPIC, "anything")).isTrue();
        assertThat(may(READ, GROUP, "anything")).isFalse();
    }

    @Test
    void prefixedAclCoversNamesStartingWithThePrefix() {
        allow(TOPIC, "orders-", PREFIXED, READ);
        assertThat(may(READ, TOPIC, "orders-eu")).isTrue();
        assertThat(may(READ, TOPIC, "orders-")).isTrue();
        assertThat(may(READ, TOPIC, "orders")).isFalse();
        assertThat(may(READ, TOPIC, "payments")).isFalse();
    }

    @Test
    void prefixedPatternIsNotAGlob() {
        allow(TOPIC, "*", PREFIXED, READ);
        assertThat(may(READ, TOPIC, "t")).isFalse();
        assertThat(may(READ, TOPIC, "*t")).isTrue();
    }

    @Test
    void denyBeatsAllowWhateverThePatterns() {
        allow(TOPIC, "*", LITERAL, ALL);
        deny(TOPIC, "secret-", PREFIXED, READ);
        assertThat(may(READ, TOPIC, "secret-plans")).isFalse();
        assertThat(may(WRITE, TOPIC, "secret-plans")).isTrue();
        assertThat(may(READ, TOPIC, "public")).isTrue();
    }

    @Test
    void denyAllDeniesEveryOperationButDenyOfOneOperationDoesNotImplyOthers() {
        allow(TOPIC, "t", LITERAL, ALL);
        deny(TOPIC, "t", LITERAL, WRITE);
        assertThat(may(WRITE, TOPIC, "t")).isFalse();
        assertThat(may(DESCRIBE, TOPIC, "t")).isTrue(); // a DENY WRITE does not deny the DESCRIBE it implies
        deny(TOPIC, "t", LITERAL, ALL);
        assertThat(may(DESCRIBE, TOPIC, "t")).isFalse();
    }

    @Test
    void readWriteDeleteAlterImplyDescribe() {
        for (AclOperation op : new AclOperation[] {READ, WRITE, DELETE, ALTER}) {
            acls.clear();
            allow(TOPIC, "t", LITERAL, op);
            assertThat(may(DESCRIBE, TOPIC, "t")).as(op.name()).isTrue();
            assertThat(may(DESCRIBE_CONFIGS, TOPIC, "t")).as(op.name()).isFalse();
        }
    }

    @Test
    void alterConfigsImpliesDescribeConfigsOnly() {
        allow(TOPIC, "t", LITERAL, ALTER_CONFIGS);
        assertThat(may(DESCRIBE_CONFIGS, TOPIC, "t")).isTrue();
        assertThat(may(DESCRIBE, TOPIC, "t")).isFalse();
        assertThat(may(ALTER, TOPIC, "t")).isFalse();
    }

    @Test
    void allAllowsEveryOperation() {
        allow(CLUSTER, "kafka-cluster", LITERAL, ALL);
        assertThat(may(IDEMPOTENT_WRITE, CLUSTER, "kafka-cluster")).isTrue();
        assertThat(may(DESCRIBE, CLUSTER, "kafka-cluster")).isTrue();
    }

    @Test
    void principalMustMatchExactlyOrBeTheUserWildcard() {
        acl(TOPIC, "t", LITERAL, "User:bob", "*", READ, ALLOW);
        assertThat(may(READ, TOPIC, "t")).isFalse();
        assertThat(may("User:bob", HOST, READ, TOPIC, "t")).isTrue();
        acl(TOPIC, "t", LITERAL, "User:*", "*", READ, ALLOW);
        assertThat(may(READ, TOPIC, "t")).isTrue();
        assertThat(may("User:ANONYMOUS", HOST, READ, TOPIC, "t")).isTrue();
    }

    @Test
    void wildcardPrincipalDenyDeniesEveryone() {
        allow(TOPIC, "t", LITERAL, READ);
        acl(TOPIC, "t", LITERAL, "User:*", "*", READ, DENY);
        assertThat(may(READ, TOPIC, "t")).isFalse();
    }

    @Test
    void hostMustMatchExactlyOrBeTheWildcard() {
        acl(TOPIC, "t", LITERAL, ALICE, "10.0.0.2", READ, ALLOW);
        assertThat(may(READ, TOPIC, "t")).isFalse();
        assertThat(may(ALICE, "10.0.0.2", READ, TOPIC, "t")).isTrue();
        acl(TOPIC, "t", LITERAL, ALICE, "10.0.0.1", WRITE, DENY);
        allow(TOPIC, "t", LITERAL, WRITE);
        assertThat(may(WRITE, TOPIC, "t")).isFalse();
        assertThat(may(ALICE, "10.0.0.3", WRITE, TOPIC, "t")).isTrue();
    }

    @Test
    void byResourceTypeAllowsWhenSomeLiteralOrPrefixIsAllowedAndNotDenied() {
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isFalse();
        allow(TRANSACTIONAL_ID, "app-", PREFIXED, WRITE);
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isTrue();
        deny(TRANSACTIONAL_ID, "app", PREFIXED, WRITE); // a shorter deny prefix dominates
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isFalse();
        allow(TRANSACTIONAL_ID, "other", LITERAL, WRITE);
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isTrue();
        deny(TRANSACTIONAL_ID, "other", LITERAL, ALL);
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isFalse();
    }

    @Test
    void byResourceTypeWildcardDenyDeniesAndImpliedOperationsDoNotCount() {
        allow(TOPIC, "t", LITERAL, WRITE);
        assertThat(mayAny(DESCRIBE, TOPIC)).isFalse();
        assertThat(mayAny(WRITE, TOPIC)).isTrue();
        deny(TOPIC, "*", LITERAL, WRITE);
        assertThat(mayAny(WRITE, TOPIC)).isFalse();
    }

    @Test
    void byResourceTypeFollowsAllowEveryoneWhenTheTypeHasNoAcl() {
        allowEveryone = true;
        assertThat(mayAny(WRITE, TRANSACTIONAL_ID)).isTrue();
    }

    @Test
    void indexFindsEveryPrefixLength() {
        allow(TOPIC, "a", PREFIXED, READ);
        deny(TOPIC, "abc-", PREFIXED, READ);
        allow(TOPIC, "abcdef", PREFIXED, WRITE);
        AclIndex index = AclIndex.of(acls);
        assertThat(index.matching(TOPIC, "abc-1")).hasSize(2);
        assertThat(index.matching(TOPIC, "abcdefg")).hasSize(2);
        assertThat(index.matching(TOPIC, "b")).isEmpty();
        assertThat(may(READ, TOPIC, "abc-1")).isFalse();
        assertThat(may(READ, TOPIC, "ab")).isTrue();
    }

    @Test
    void superUsersParseKafkasSemicolonList() {
        assertThat(AclAuthorizer.parseSuperUsers(" User:admin ; User:bob;")).containsExactlyInAnyOrder("User:admin",
                "User:bob");
        assertThat(AclAuthorizer.parseSuperUsers("")).isEmpty();
    }
}
