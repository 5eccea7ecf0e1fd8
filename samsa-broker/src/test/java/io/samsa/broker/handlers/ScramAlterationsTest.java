package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage.ScramKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

class ScramAlterationsTest {
    private static final byte SHA256 = 1;
    private static final byte SHA512 = 2;
    private static final byte[] SALT = "salt-1234".getBytes(StandardCharsets.UTF_8);

    private static ScramCredentialUpsertion upsert(String user, byte mechanism, int iterations) throws Exception {
        byte[] salted = mechanism == SHA256 || mechanism == SHA512
                ? new ScramFormatter(ScramAlterations.internal(mechanism)).hi(
                        "secret".getBytes(StandardCharsets.UTF_8), SALT, 4096)
                : new byte[32];
        return new ScramCredentialUpsertion().setName(user).setMechanism(mechanism).setIterations(iterations)
                .setSalt(SALT).setSaltedPassword(salted);
    }

    private static ScramCredentialDeletion delete(String user, byte mechanism) {
        return new ScramCredentialDeletion().setName(user).setMechanism(mechanism);
    }

    private static AlterUserScramCredentialsRequestData request(List<ScramCredentialDeletion> deletions,
                                                                List<ScramCredentialUpsertion> upsertions) {
        return new AlterUserScramCredentialsRequestData().setDeletions(deletions).setUpsertions(upsertions);
    }

    private static Map<String, Errors> errors(ScramAlterations.Plan plan) {
        return plan.results().stream().collect(Collectors.toMap(AlterUserScramCredentialsResult::user,
                r -> Errors.forCode(r.errorCode())));
    }

    @Test
    void an_upsertion_stores_the_stored_and_server_keys_of_the_salted_password() throws Exception {
        ScramAlterations.Plan plan = ScramAlterations.plan(request(List.of(), List.of(upsert("alice", SHA256, 8192))),
                k -> false);

        assertThat(errors(plan)).containsExactly(Map.entry("alice", Errors.NONE));
        ScramCredentialEntry entry = plan.upserts().getFirst();
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
        byte[] salted = formatter.saltedPassword("secret", SALT, 4096);
        assertThat(entry.user()).isEqualTo("alice");
        assertThat(entry.mechanism()).isEqualTo(SHA256);
        assertThat(entry.iterations()).isEqualTo(8192);
        assertThat(entry.salt()).isEqualTo(SALT);
        assertThat(entry.storedKey()).isEqualTo(formatter.storedKey(formatter.clientKey(salted)));
        assertThat(entry.serverKey()).isEqualTo(formatter.serverKey(salted));
        assertThat(plan.results().getFirst().errorMessage()).isNull();
    }

    @Test
    void iterations_outside_4096_to_16384_are_unacceptable() throws Exception {
        ScramAlterations.Plan plan = ScramAlterations.plan(request(List.of(), List.of(upsert("few", SHA256, 4095),
                upsert("min", SHA512, 4096), upsert("max", SHA256, 16384), upsert("many", SHA512, 16385))), k -> false);

        assertThat(errors(plan)).containsOnly(Map.entry("few", Errors.UNACCEPTABLE_CREDENTIAL),
                Map.entry("min", Errors.NONE), Map.entry("max", Errors.NONE),
                Map.entry("many", Errors.UNACCEPTABLE_CREDENTIAL));
        assertThat(plan.results()).filteredOn(r -> r.user().equals("few")).extracting(r -> r.errorMessage())
                .containsExactly("Too few iterations");
        assertThat(plan.results()).filteredOn(r -> r.user().equals("many")).extracting(r -> r.errorMessage())
                .containsExactly("Too many iterations");
        assertThat(plan.upserts()).extracting(ScramCredentialEntry::user).containsExactly("min", "max");
    }

    @Test
    void an_empty_name_and_an_unknown_mechanism_are_refused() throws Exception {
        ScramAlterations.Plan plan = ScramAlterations.plan(request(List.of(delete("bob", (byte) 0)),
                List.of(upsert("", SHA256, 4096), upsert("carol", (byte) 3, 4096))), k -> true);

        assertThat(errors(plan)).containsOnly(Map.entry("", Errors.UNACCEPTABLE_CREDENTIAL),
                Map.entry("bob", Errors.UNSUPPORTED_SASL_MECHANISM),
                Map.entry("carol", Errors.UNSUPPORTED_SASL_MECHANISM));
        assertThat(plan.results()).extracting(AlterUserScramCredentialsResult::errorMessage)
                .contains("Username must not be empty", "Unknown SCRAM mechanism");
        assertThat(plan.upserts()).isEmpty();
        assertThat(plan.deletions()).isEmpty();
    }

    @Test
    void a_user_altered_twice_is_a_duplicate_even_with_two_mechanisms_as_in_kafka() throws Exception {
        ScramAlterations.Plan plan = ScramAlterations.plan(request(
                List.of(delete("dan", SHA256), delete("erin", SHA256), delete("erin", SHA512)),
                List.of(upsert("dan", SHA512, 4096), upsert("frank", SHA256, 4096), upsert("frank", SHA512, 4096),
                        upsert("frank", SHA256, 4096), upsert("gina", SHA256, 4096))), k -> true);

        assertThat(errors(plan)).containsOnly(Map.entry("dan", Errors.DUPLICATE_RESOURCE),
                Map.entry("erin", Errors.DUPLICATE_RESOURCE), Map.entry("frank", Errors.DUPLICATE_RESOURCE),
                Map.entry("gina", Errors.NONE));
        assertThat(plan.results()).hasSize(4);
        assertThat(plan.results()).filteredOn(r -> r.user().equals("frank"))
                .extracting(AlterUserScramCredentialsResult::errorMessage)
                .containsExactly("A user credential cannot be altered twice in the same request");
        assertThat(plan.upserts()).extracting(ScramCredentialEntry::user).containsExactly("gina");
        assertThat(plan.deletions()).isEmpty();
    }

    @Test
    void deleting_what_does_not_exist_is_resource_not_found() {
        Set<ScramKey> stored = Set.of(new ScramKey("hal", SHA256));
        ScramAlterations.Plan plan = ScramAlterations.plan(request(
                List.of(delete("hal", SHA256), delete("ivy", SHA256), delete("jo", SHA512)), List.of()),
                stored::contains);

        assertThat(errors(plan)).containsOnly(Map.entry("hal", Errors.NONE),
                Map.entry("ivy", Errors.RESOURCE_NOT_FOUND), Map.entry("jo", Errors.RESOURCE_NOT_FOUND));
        assertThat(plan.results()).filteredOn(r -> r.user().equals("ivy"))
                .extracting(AlterUserScramCredentialsResult::errorMessage)
                .containsExactly("Attempt to delete a user credential that does not exist");
        assertThat(plan.deletions()).containsExactly(new ScramKey("hal", SHA256));
        assertThat(plan.results().getFirst().user()).isEqualTo("hal");
    }

    @Test
    void fail_all_names_each_user_once_sorted() throws Exception {
        var request = request(List.of(delete("zoe", SHA256)), List.of(upsert("amy", SHA256, 4096),
                upsert("zoe", SHA512, 4096)));

        var results = ScramAlterations.failAll(request, new org.apache.kafka.common.requests.ApiError(
                Errors.CLUSTER_AUTHORIZATION_FAILED, "no"));

        assertThat(results).extracting(AlterUserScramCredentialsResult::user).containsExactly("amy", "zoe");
        assertThat(results).allMatch(r -> r.errorCode() == Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }
}
