package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage.ScramKey;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class DescribeUserScramCredentialsHandlerTest {
    private static final Map<ScramKey, ScramCredentialEntry> STORED = Stream.of(
                    entry("bob", (byte) 2, 8192), entry("alice", (byte) 2, 4096), entry("alice", (byte) 1, 16384))
            .collect(Collectors.toMap(ScramCredentialEntry::key, e -> e));

    private static ScramCredentialEntry entry(String user, byte mechanism, int iterations) {
        return new ScramCredentialEntry(user, mechanism, new byte[] {1}, new byte[] {2}, new byte[] {3}, iterations);
    }

    private static DescribeUserScramCredentialsRequestData users(String... names) {
        return new DescribeUserScramCredentialsRequestData()
                .setUsers(Stream.of(names).map(n -> new UserName().setName(n)).toList());
    }

    @Test
    void no_users_describes_everyone_sorted_with_mechanisms_in_type_order() {
        for (var request : List.of(new DescribeUserScramCredentialsRequestData().setUsers(null), users())) {
            DescribeUserScramCredentialsResponseData response =
                    DescribeUserScramCredentialsHandler.describe(STORED, request);

            assertThat(response.errorCode()).isZero();
            assertThat(response.results()).extracting(DescribeUserScramCredentialsResult::user)
                    .containsExactly("alice", "bob");
            var alice = response.results().getFirst();
            assertThat(alice.errorCode()).isZero();
            assertThat(alice.credentialInfos()).extracting(i -> i.mechanism() + ":" + i.iterations())
                    .containsExactly("1:16384", "2:4096");
        }
    }

    @Test
    void unknown_users_are_resource_not_found_and_repeated_users_duplicates() {
        DescribeUserScramCredentialsResponseData response =
                DescribeUserScramCredentialsHandler.describe(STORED, users("nobody", "bob", "alice", "bob"));

        assertThat(response.results()).extracting(DescribeUserScramCredentialsResult::user)
                .containsExactly("nobody", "bob", "alice");
        assertThat(response.results()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.RESOURCE_NOT_FOUND, Errors.DUPLICATE_RESOURCE, Errors.NONE);
        assertThat(response.results()).extracting(DescribeUserScramCredentialsResult::errorMessage).containsExactly(
                "Attempt to describe a user credential that does not exist: nobody",
                "Cannot describe SCRAM credentials for the same user twice in a single request: bob", "");
    }

    @Test
    void an_empty_image_describes_no_one() {
        assertThat(DescribeUserScramCredentialsHandler.describe(Map.of(), users()).results()).isEmpty();
    }
}
