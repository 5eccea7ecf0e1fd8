package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.security.ScramCredentialStore;
import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.SamsaExtension;
import io.samsa.it.configs.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM credentials (KIP-554) through kafka-clients' Admin API and raw requests: AlterUserScramCredentials and
 * DescribeUserScramCredentials with Kafka 4.3's validation and errors, credentials that survive a restart, and the
 * stored credential checked against the password with kafka-clients' {@link ScramFormatter} (what the SASL/SCRAM server
 * will do).
 */
class ScramCredentialsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static UserScramCredentialUpsertion upsert(String user, ScramMechanism mechanism, int iterations,
                                                       String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations), password);
    }

    private static void alter(Admin admin, UserScramCredentialAlteration... alterations) throws Exception {
        admin.alterUserScramCredentials(List.of(alterations)).all().get();
    }

    /** user -> "MECHANISM:iterations" of each credential, from DescribeUserScramCredentials of every user. */
    private static Map<String, List<String>> describeAll(Admin admin) throws Exception {
        return admin.describeUserScramCredentials().all().get().values().stream().collect(Collectors.toMap(
                UserScramCredentialsDescription::name, d -> d.credentialInfos().stream()
                        .map(i -> i.mechanism().mechanismName() + ":" + i.iterations()).sorted().toList()));
    }

    private static Throwable cause(ThrowingRunnable call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void adminAddsDescribesReplacesAndDeletesCredentials() throws Exception {
        try (Admin admin = samsa.get().admin()) {
            // Given alice with both mechanisms (one per request: Kafka refuses a user twice in one) and bob
            alter(admin, upsert("api-alice", ScramMechanism.SCRAM_SHA_256, 8192, "alice-secret"),
                    upsert("api-bob", ScramMechanism.SCRAM_SHA_512, 4096, "bob-secret"));
            alter(admin, upsert("api-alice", ScramMechanism.SCRAM_SHA_512, 16384, "alice-512"));

            // Then describing everyone lists both with mechanisms and iterations
            assertThat(describeAll(admin)).containsEntry("api-alice",
                            List.of("SCRAM-SHA-256:8192", "SCRAM-SHA-512:16384"))
                    .containsEntry("api-bob", List.of("SCRAM-SHA-512:4096"));

            // and describing named users answers each; a user without credentials is RESOURCE_NOT_FOUND
            var named = admin.describeUserScramCredentials(List.of("api-bob", "api-nobody"));
            assertThat(named.users().get()).containsExactly("api-bob");
            assertThat(named.description("api-bob").get().credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
            assertThat(cause(() -> named.description("api-nobody").get()))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Attempt to describe a user credential that does not exist: api-nobody");

            // When a credential is replaced and another deleted
            alter(admin, upsert("api-bob", ScramMechanism.SCRAM_SHA_512, 12000, "bob-new"));
            alter(admin, new UserScramCredentialDeletion("api-alice", ScramMechanism.SCRAM_SHA_256));

            // Then
            assertThat(describeAll(admin)).containsEntry("api-alice", List.of("SCRAM-SHA-512:16384"))
                    .containsEntry("api-bob", List.of("SCRAM-SHA-512:12000"));
            alter(admin, new UserScramCredentialDeletion("api-alice", ScramMechanism.SCRAM_SHA_512));
            assertThat(describeAll(admin)).doesNotContainKey("api-alice");
        }
    }

    @Test
    void adminSeesKafkasValidationErrors() throws Exception {
        try (Admin admin = samsa.get().admin()) {
            alter(admin, upsert("val-existing", ScramMechanism.SCRAM_SHA_256, 4096, "pw"));

            assertThat(cause(() -> alter(admin, upsert("val-few", ScramMechanism.SCRAM_SHA_256, 4095, "pw"))))
                    .isInstanceOf(UnacceptableCredentialException.class).hasMessage("Too few iterations");
            assertThat(cause(() -> alter(admin, upsert("val-many", ScramMechanism.SCRAM_SHA_512, 16385, "pw"))))
                    .isInstanceOf(UnacceptableCredentialException.class).hasMessage("Too many iterations");
            assertThat(cause(() -> alter(admin,
                    new UserScramCredentialDeletion("val-existing", ScramMechanism.SCRAM_SHA_512))))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessage("Attempt to delete a user credential that does not exist");
            assertThat(cause(() -> alter(admin, upsert("val-twice", ScramMechanism.SCRAM_SHA_256, 4096, "pw"),
                    upsert("val-twice", ScramMechanism.SCRAM_SHA_512, 4096, "pw"))))
                    .isInstanceOf(DuplicateResourceException.class)
                    .hasMessage("A user credential cannot be altered twice in the same request");

            // One user's error leaves the other users of the request alone
            var mixed = admin.alterUserScramCredentials(List.of(
                    upsert("val-ok", ScramMechanism.SCRAM_SHA_256, 4096, "pw"),
                    upsert("val-bad", ScramMechanism.SCRAM_SHA_256, 1, "pw")));
            mixed.values().get("val-ok").get();
            assertThat(cause(() -> mixed.values().get("val-bad").get()))
                    .isInstanceOf(UnacceptableCredentialException.class);

            assertThat(describeAll(admin)).containsKeys("val-existing", "val-ok").doesNotContainKeys("val-few", "val-many", "val-twice", "val-bad");
        }
    }

    @Test
    void rawRequestsGetKafkasErrorsForWhatTheAdminClientRefusesItself() throws Exception {
        String bootstrap = samsa.get().bootstrapServers();
        var versions = (ApiVersionsResponse) RawClient.send(bootstrap,
                new ApiVersionsRequest.Builder().build(ApiKeys.API_VERSIONS.latestVersion()));
        for (ApiKeys api : List.of(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS)) {
            var advertised = versions.apiVersion(api.id);
            assertThat(advertised).as(api.name).isNotNull();
            assertThat(advertised.minVersion()).isEqualTo(api.oldestVersion());
            assertThat(advertised.maxVersion()).isEqualTo(api.latestVersion());
        }

        byte[] salted = new byte[32];
        var request = new AlterUserScramCredentialsRequestData()
                .setUpsertions(List.of(
                        new ScramCredentialUpsertion().setName("").setMechanism((byte) 1).setIterations(4096)
                                .setSalt(new byte[] {1}).setSaltedPassword(salted),
                        new ScramCredentialUpsertion().setName("raw-mech3").setMechanism((byte) 3)
                                .setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(salted)))
                .setDeletions(List.of(new ScramCredentialDeletion().setName("raw-mech0").setMechanism((byte) 0)));
        var altered = (AlterUserScramCredentialsResponse) RawClient.send(bootstrap,
                new AlterUserScramCredentialsRequest.Builder(request).build());
        Map<String, AlterUserScramCredentialsResult> byUser = altered.data().results().stream()
                .collect(Collectors.toMap(AlterUserScramCredentialsResult::user, r -> r));
        assertThat(byUser).containsOnlyKeys("", "raw-mech3", "raw-mech0");
        assertThat(Errors.forCode(byUser.get("").errorCode())).isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(byUser.get("").errorMessage()).isEqualTo("Username must not be empty");
        assertThat(Errors.forCode(byUser.get("raw-mech3").errorCode())).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(Errors.forCode(byUser.get("raw-mech0").errorCode())).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(byUser.get("raw-mech0").errorMessage()).isEqualTo("Unknown SCRAM mechanism");

        var described = (DescribeUserScramCredentialsResponse) RawClient.send(bootstrap,
                new DescribeUserScramCredentialsRequest.Builder(new DescribeUserScramCredentialsRequestData()
                        .setUsers(List.of(new UserName().setName("raw-x"), new UserName().setName("raw-x"))))
                        .build());
        assertThat(described.data().errorCode()).isZero();
        assertThat(described.data().results()).singleElement().satisfies(r -> {
            assertThat(r.user()).isEqualTo("raw-x");
            assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.DUPLICATE_RESOURCE);
            assertThat(r.errorMessage()).isEqualTo(
                    "Cannot describe SCRAM credentials for the same user twice in a single request: raw-x");
        });
    }

    @Test
    void credentialsSurviveARestartAndVerifyThePassword(@TempDir Path dir) throws Exception {
        // Given credentials written through the Admin API
        try (EmbeddedSamsa broker = EmbeddedSamsa.start(dir)) {
            try (Admin admin = broker.admin()) {
                alter(admin, upsert("carol", ScramMechanism.SCRAM_SHA_256, 8192, "carol-secret"),
                        upsert("dave", ScramMechanism.SCRAM_SHA_512, 4096, "dave-secret"));
                alter(admin, upsert("carol", ScramMechanism.SCRAM_SHA_512, 4096, "carol-512"));
            }

            // When the broker restarts on the same data, then they are read back without any write
            broker.restart();
            try (Admin admin = broker.admin()) {
                assertThat(describeAll(admin)).containsOnly(
                        Map.entry("carol", List.of("SCRAM-SHA-256:8192", "SCRAM-SHA-512:4096")),
                        Map.entry("dave", List.of("SCRAM-SHA-512:4096")));
            }

            // and the stored salt, keys and iterations prove the password (RFC 5802), and only it
            var image = broker.broker().metadataImage();
            assertProves(ScramCredentialStore.credential(image, "carol",
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256).orElseThrow(),
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256, "carol-secret",
                    8192);
            assertProves(ScramCredentialStore.credential(image, "carol", ScramMechanism.SCRAM_SHA_512).orElseThrow(),
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512, "carol-512", 4096);
            assertProves(ScramCredentialStore.credential(image, "dave", ScramMechanism.SCRAM_SHA_512).orElseThrow(),
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512, "dave-secret", 4096);
            assertThat(ScramCredentialStore.credential(image, "dave", ScramMechanism.SCRAM_SHA_256)).isEmpty();
            assertThat(ScramCredentialStore.credential(image, "nobody", ScramMechanism.SCRAM_SHA_256)).isEmpty();
        }
    }

    private static void assertProves(ScramCredential stored,
                                     org.apache.kafka.common.security.scram.internals.ScramMechanism mechanism,
                                     String password, int iterations) throws Exception {
        ScramFormatter formatter = new ScramFormatter(mechanism);
        assertThat(stored.iterations()).isEqualTo(iterations);
        assertThat(stored.salt()).isNotEmpty();
        byte[] salted = formatter.saltedPassword(password, stored.salt(), stored.iterations());
        assertThat(stored.storedKey()).isEqualTo(formatter.storedKey(formatter.clientKey(salted)));
        assertThat(stored.serverKey()).isEqualTo(formatter.serverKey(salted));
        byte[] wrong = formatter.saltedPassword(password + "x", stored.salt(), stored.iterations());
        assertThat(stored.storedKey()).isNotEqualTo(formatter.storedKey(formatter.clientKey(wrong)));
        assertThat(new String(stored.storedKey(), StandardCharsets.ISO_8859_1)).doesNotContain(password);
    }
}
