package dev.orderly.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/** Channel access tokens for tests, signed with jose4j the way a token issuer would sign them. */
public final class Tokens {

    private Tokens() {
    }

    /** Claims with {@code scope}, {@code channels}, {@code iat} now and {@code exp} at {@code expiresAt}. */
    public static JwtClaims claims(String scope, List<String> channels, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        if (scope != null) {
            claims.setClaim("scope", scope);
        }
        if (channels != null) {
            claims.setStringListClaim("channels", channels);
        }
        return claims;
    }

    /** Claims as {@link #claims(String, List, Instant)} that expire in ten minutes. */
    public static JwtClaims claims(String scope, List<String> channels) {
        return claims(scope, channels, Instant.now().plusSeconds(600));
    }

    /** Signs {@code claims} with {@code secret} under the JWS algorithm {@code algorithm}, such as {@code HS256}. */
    public static String sign(JwtClaims claims, String secret, String algorithm) {
        return signPayload(claims.toJson(), secret, algorithm);
    }

    /** Signs {@code claims} with {@code secret} under HS256. */
    public static String sign(JwtClaims claims, String secret) {
        return sign(claims, secret, AlgorithmIdentifiers.HMAC_SHA256);
    }

    /** Signs {@code payload}, which need not be valid claims or even JSON, with {@code secret} under HS256. */
    public static String signPayload(String payload, String secret) {
        return signPayload(payload, secret, AlgorithmIdentifiers.HMAC_SHA256);
    }

    private static String signPayload(String payload, String secret, String algorithm) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        return serialize(jws);
    }

    /** Returns {@code claims} as an unsecured JWT: algorithm {@code none} and an empty signature. */
    public static String unsigned(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        return serialize(jws);
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("the test token could not be signed", e);
        }
    }
}
