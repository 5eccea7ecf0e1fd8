package io.samsa.it.security;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * A test identity provider: an RSA key published in a JWKS file (what {@code sasl.oauthbearer.jwks.endpoint.url}
 * points at) and JWTs signed with it, or with a key the JWKS does not hold, or not signed at all.
 */
final class TestJwts {
    static final String ISSUER = "https://issuer.samsa.test";
    static final String AUDIENCE = "samsa";

    private final RsaJsonWebKey key;
    private final RsaJsonWebKey stranger;

    private TestJwts(RsaJsonWebKey key, RsaJsonWebKey stranger) {
        this.key = key;
        this.stranger = stranger;
    }

    /** A fresh key pair; its public half written as a JWKS to {@code jwks}. */
    static TestJwts publishedAt(Path jwks) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("samsa-test-key");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId("not-published");
        Files.writeString(jwks, new JsonWebKeySet(key).toJson());
        return new TestJwts(key, stranger);
    }

    /** A valid token for {@code subject}, good for ten minutes. */
    String valid(String subject) throws Exception {
        return sign(claims(subject, AUDIENCE, 600), key);
    }

    /** Expired an hour ago (well past the 30 s clock skew). */
    String expired(String subject) throws Exception {
        JwtClaims claims = claims(subject, AUDIENCE, 600);
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
        claims.setNotBefore(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
        return sign(claims, key);
    }

    /** For another audience. */
    String wrongAudience(String subject) throws Exception {
        return sign(claims(subject, "someone-else", 600), key);
    }

    /** Signed by a key the JWKS does not publish. */
    String unknownKey(String subject) throws Exception {
        return sign(claims(subject, AUDIENCE, 600), stranger);
    }

    /** {@code alg: none}, no signature. */
    String unsigned(String subject) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(subject, AUDIENCE, 600).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    private static JwtClaims claims(String subject, String audience, int lifetimeSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + lifetimeSeconds));
        claims.setClaim("scope", "produce consume");
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey with) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
