package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.BOOLEAN;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.oneOf;

/**
 * The authorizer keys of Apache Kafka 4.3 ({@code ServerConfigs.AUTHORIZER_CLASS_NAME_CONFIG} and the keys of its
 * {@code StandardAuthorizer}), with Kafka's names and defaults. {@code authorizer.class.name} accepts the empty string
 * (no authorizer: everything is allowed), Kafka's {@code StandardAuthorizer} class name and Samsa's own
 * {@code io.samsa.broker.security.AclAuthorizer}, both selecting Samsa's ACL authorizer; any other class stops
 * start-up with the key and the value (Samsa loads no authorizer plugins).
 */
public final class AuthorizerConfigDefs {
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    /** Kafka's KRaft ACL authorizer, as written in a Kafka {@code server.properties}. */
    public static final String KAFKA_STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    /** Samsa's ACL authorizer (the same as {@link #KAFKA_STANDARD_AUTHORIZER}). */
    public static final String SAMSA_ACL_AUTHORIZER = "io.samsa.broker.security.AclAuthorizer";

    private AuthorizerConfigDefs() {
    }

    static ConfigDef defineInto(ConfigDef def) {
        return def
                .define(AUTHORIZER_CLASS_NAME, STRING, "", oneOf("", KAFKA_STANDARD_AUTHORIZER, SAMSA_ACL_AUTHORIZER),
                        LOW, "The authorizer: empty for none (everything allowed), or " + KAFKA_STANDARD_AUTHORIZER
                                + " / " + SAMSA_ACL_AUTHORIZER + " for ACLs stored in the metadata log.")
                .define(SUPER_USERS, STRING, "", null, MEDIUM,
                        "Principals allowed everything regardless of ACLs, separated by semicolons "
                                + "(User:admin;User:ANONYMOUS).")
                .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, BOOLEAN, false, null, MEDIUM,
                        "When a resource has no ACL at all, allow everyone (default false: deny).");
    }
}
