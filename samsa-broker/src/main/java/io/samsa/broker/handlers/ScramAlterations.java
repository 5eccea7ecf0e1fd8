package io.samsa.broker.handlers;

import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage.ScramKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;

/**
 * Validates an AlterUserScramCredentials request (KIP-554) with the rules and messages of Kafka's controller
 * ({@code ScramControlManager}) and turns what passes into metadata changes. Pure: the only input besides the request
 * is which credentials exist.
 *
 * <p>Per user name (not per user and mechanism, as Kafka): a user named twice in one request, by deletions or
 * upsertions, gets DUPLICATE_RESOURCE "A user credential cannot be altered twice in the same request" and none of its
 * alterations is applied; an empty name UNACCEPTABLE_CREDENTIAL "Username must not be empty"; a mechanism other than
 * 1 (SCRAM-SHA-256) or 2 (SCRAM-SHA-512) UNSUPPORTED_SASL_MECHANISM "Unknown SCRAM mechanism"; iterations below the
 * mechanism's minimum (4096) or above 16384 UNACCEPTABLE_CREDENTIAL "Too few iterations" / "Too many iterations";
 * deleting a credential that does not exist RESOURCE_NOT_FOUND "Attempt to delete a user credential that does not
 * exist". Once a user has an error its later alterations are ignored. Upsertions carry the salted password computed
 * by the client; only {@code StoredKey = H(HMAC(SaltedPassword, "Client Key"))} and
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")} (RFC 5802, kafka-clients' {@link ScramFormatter}) are kept.
 *
 * <p>Results: one per user, the applied deletions first, then the applied upsertions, then the errors, each in
 * request order (Kafka's order, with its hash-map order made deterministic).
 */
public final class ScramAlterations {
    /** Kafka's {@code ScramControlManager.MAX_ITERATIONS}. */
    public static final int MAX_ITERATIONS = 16384;

    private ScramAlterations() {
    }

    /**
     * What to write and what to answer.
     *
     * @param upserts   credentials to store (stored key and server key derived, never the salted password)
     * @param deletions credentials to remove
     * @param results   one per user named in the request
     */
    public record Plan(List<ScramCredentialEntry> upserts, List<ScramKey> deletions,
                       List<AlterUserScramCredentialsResult> results) {
        public Plan {
            upserts = List.copyOf(upserts);
            deletions = List.copyOf(deletions);
            results = List.copyOf(results);
        }
    }

    /**
     * Validates {@code request} against the existing credentials.
     *
     * @param exists whether a credential is stored (for deletions)
     */
    public static Plan plan(AlterUserScramCredentialsRequestData request, Predicate<ScramKey> exists) {
        Map<String, ScramCredentialDeletion> toDelete = new LinkedHashMap<>();
        Map<String, ScramCredentialUpsertion> toUpsert = new LinkedHashMap<>();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : request.deletions()) {
            String user = deletion.name();
            if (errors.containsKey(user)) {
                continue;
            }
            if (toDelete.remove(user) != null) {
                errors.put(user, duplicate());
                continue;
            }
            ApiError error = validateName(user, deletion.mechanism());
            if (error == null && !exists.test(new ScramKey(user, deletion.mechanism()))) {
                error = new ApiError(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
            }
            if (error != null) {
                errors.put(user, error);
            } else {
                toDelete.put(user, deletion);
            }
        }
        for (ScramCredentialUpsertion upsertion : request.upsertions()) {
            String user = upsertion.name();
            if (errors.containsKey(user)) {
                continue;
            }
            if (toDelete.remove(user) != null || toUpsert.remove(user) != null) {
                errors.put(user, duplicate());
                continue;
            }
            ApiError error = validateUpsertion(upsertion);
            if (error != null) {
                errors.put(user, error);
            } else {
                toUpsert.put(user, upsertion);
            }
        }

        List<AlterUserScramCredentialsResult> results = new ArrayList<>();
        List<ScramKey> deletions = new ArrayList<>();
        toDelete.values().forEach(d -> {
            deletions.add(new ScramKey(d.name(), d.mechanism()));
            results.add(result(d.name(), ApiError.NONE));
        });
        List<ScramCredentialEntry> upserts = new ArrayList<>();
        toUpsert.values().forEach(u -> {
            try {
                upserts.add(entry(u));
                results.add(result(u.name(), ApiError.NONE));
            } catch (Exception e) {
                errors.put(u.name(), ApiError.fromThrowable(e));
            }
        });
        errors.forEach((user, error) -> results.add(result(user, error)));
        return new Plan(upserts, deletions, results);
    }

    /** Every user of the request with {@code error} (an authorization or controller failure), sorted by name. */
    public static List<AlterUserScramCredentialsResult> failAll(AlterUserScramCredentialsRequestData request,
                                                                ApiError error) {
        return java.util.stream.Stream.concat(request.deletions().stream().map(ScramCredentialDeletion::name),
                        request.upsertions().stream().map(ScramCredentialUpsertion::name))
                .distinct().sorted().map(user -> result(user, error)).toList();
    }

    private static ApiError validateUpsertion(ScramCredentialUpsertion upsertion) {
        ApiError error = validateName(upsertion.name(), upsertion.mechanism());
        if (error != null) {
            return error;
        }
        var mechanism = internal(upsertion.mechanism());
        if (upsertion.iterations() < mechanism.minIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (upsertion.iterations() > MAX_ITERATIONS) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        return null;
    }

    private static ApiError validateName(String user, byte mechanism) {
        if (user.isEmpty()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        if (ScramMechanism.fromType(mechanism) == ScramMechanism.UNKNOWN) {
            return new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return null;
    }

    private static ScramCredentialEntry entry(ScramCredentialUpsertion u) throws Exception {
        ScramFormatter formatter = new ScramFormatter(internal(u.mechanism()));
        byte[] saltedPassword = u.saltedPassword();
        return new ScramCredentialEntry(u.name(), u.mechanism(), u.salt(),
                formatter.storedKey(formatter.clientKey(saltedPassword)), formatter.serverKey(saltedPassword),
                u.iterations());
    }

    /** The kafka-clients SASL mechanism of a known type (1 or 2). */
    static org.apache.kafka.common.security.scram.internals.ScramMechanism internal(byte type) {
        return org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                ScramMechanism.fromType(type).mechanismName());
    }

    private static ApiError duplicate() {
        return new ApiError(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult().setUser(user).setErrorCode(error.error().code())
                .setErrorMessage(error.isSuccess() ? null : error.message());
    }
}
