package dev.orderly.access;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.orderly.config.OrderlyConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies channel access tokens and decides at startup whether they are required.
 *
 * <p>A token is a JWT signed with HMAC-SHA256 ({@code HS256}) under {@code orderly.auth.token-secret}, verified by
 * SmallRye JWT (jose4j). It must carry {@code exp} and {@code iat}; it is accepted until
 * {@code orderly.auth.clock-skew} after {@code exp}. Any other algorithm, {@code none} included, is rejected. What it allows comes from two
 * claims: {@code scope}, a space-separated list of {@code subscribe} and {@code emit}, and {@code channels}, a list
 * of channel names or patterns (see {@link AccessGrant}).
 *
 * <p>Guarantee: when authorization is on, no request reaches a channel without a token verified here, and the
 * token text is never logged or put into a response.
 */
@Startup
@ApplicationScoped
public class AccessTokens {

    /** Smallest secret for HS256: as long as the hash output (RFC 7518, section 3.2). */
    static final int MIN_SECRET_BYTES = 32;

    /** Largest accepted clock skew; more would make a token's exp meaningless. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofHours(24);

    /** Characters of verified token text kept at most: 4 Mi, so a few thousand typical tokens of a few hundred. */
    static final long MAX_VERIFIED_CHARS = 4L << 20;

    static final String SCOPE_CLAIM = "scope";
    static final String CHANNELS_CLAIM = "channels";

    private final boolean enabled;
    private final int clockSkewSeconds;
    private final JWTAuthContextInfo verification;
    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    /**
     * Grants of tokens verified before, by token text, so that a client sending the same token with every request
     * is verified once. A grant is used only until its expiry; a token whose signature or claims fail is never kept.
     */
    private final Map<String, AccessGrant> verified = new ConcurrentHashMap<>();
    /** Characters of the token texts in {@link #verified}; guarded by this. */
    private long verifiedChars;

    @Inject
    public AccessTokens(OrderlyConfig config) {
        OrderlyConfig.Auth auth = config.auth();
        this.enabled = resolveEnabled(auth.enabled(), auth.tokenSecret());
        if (auth.clockSkew().isNegative() || auth.clockSkew().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new ConfigurationException("orderly.auth.clock-skew is " + auth.clockSkew() + "; it must be "
                    + "between 0 and " + MAX_CLOCK_SKEW.toHours() + " hours");
        }
        this.clockSkewSeconds = Math.toIntExact(auth.clockSkew().toSeconds());
        this.verification = enabled ? verificationFor(auth.tokenSecret().orElseThrow(), clockSkewSeconds) : null;
        if (enabled) {
            Log.infof("Channel access tokens are required on /api/: HS256 JWTs in the Authorization header; "
                    + "GET /api/realtime also reads the access_token query parameter and the %s cookie",
                    auth.cookie());
        } else {
            Log.warn("Channel access tokens are off (orderly.auth.enabled=false): every client that reaches this "
                    + "instance can subscribe to and emit on every channel");
            if (auth.tokenSecret().isPresent()) {
                Log.warn("orderly.auth.token-secret is set but ignored, because orderly.auth.enabled=false");
            }
        }
    }

    /**
     * Decides whether tokens are required, or fails startup when the configuration leaves it open.
     *
     * @throws ConfigurationException when neither a secret nor {@code enabled=false} is set, when
     *         {@code enabled=true} has no secret, or when the secret is shorter than {@link #MIN_SECRET_BYTES}
     */
    static boolean resolveEnabled(Optional<String> enabledText, Optional<String> secret) {
        Optional<Boolean> enabled = enabledText.map(String::trim).map(AccessTokens::parseEnabled);
        if (enabled.isPresent() && !enabled.get()) {
            return false;
        }
        if (secret.isEmpty()) {
            throw new ConfigurationException(enabled.isPresent()
                    ? "orderly.auth.enabled=true needs orderly.auth.token-secret: set ORDERLY_AUTH_TOKEN_SECRET to "
                            + "the HS256 secret (at least " + MIN_SECRET_BYTES + " bytes) that tokens are signed with"
                    : "Channel access tokens are neither configured nor turned off. Set ORDERLY_AUTH_TOKEN_SECRET "
                            + "(orderly.auth.token-secret) to the HS256 secret, at least " + MIN_SECRET_BYTES
                            + " bytes, that tokens are signed with, or set ORDERLY_AUTH_ENABLED=false "
                            + "(orderly.auth.enabled) to serve every client without a token");
        }
        int bytes = secret.get().getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES) {
            throw new ConfigurationException("orderly.auth.token-secret has " + bytes + " bytes; HS256 needs at "
                    + "least " + MIN_SECRET_BYTES + ". Set ORDERLY_AUTH_TOKEN_SECRET to a longer secret");
        }
        return true;
    }

    private static boolean parseEnabled(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigurationException("orderly.auth.enabled is \"" + value + "\"; it must be true or false. Set "
                + "ORDERLY_AUTH_ENABLED=false to serve every client without a token, or leave it unset and set "
                + "ORDERLY_AUTH_TOKEN_SECRET");
    }

    private static JWTAuthContextInfo verificationFor(String secret, int clockSkewSeconds) {
        SecretKey key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, null);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setClockSkew(clockSkewSeconds);
        // A token names channels and permissions, not necessarily a user, so sub is optional.
        info.setRequireNamedPrincipal(false);
        return info;
    }

    /** Returns whether requests need a token. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Verifies {@code token} and returns what it allows.
     *
     * @param source where the token came from, named as the problem's field
     * @throws AccessDeniedException 401 when the token is malformed, wrongly signed, expired or its claims are
     *         invalid
     */
    AccessGrant verify(String token, String source) {
        AccessGrant cached = verified.get(token);
        if (cached != null && Instant.now().isBefore(cached.expiresAt())) {
            return cached;
        }
        AccessGrant grant = parse(token, source);
        remember(token, grant);
        return grant;
    }

    private synchronized void remember(String token, AccessGrant grant) {
        if (verifiedChars + token.length() > MAX_VERIFIED_CHARS) {
            // Dropping every entry keeps the map bounded; the tokens still in use are verified again once.
            verified.clear();
            verifiedChars = 0;
        }
        if (verified.put(token, grant) == null) {
            verifiedChars += token.length();
        }
    }

    private AccessGrant parse(String token, String source) {
        JwtClaims claims;
        try {
            claims = parser.parse(token, verification).getJwtClaims();
        } catch (ParseException e) {
            throw rejection(e, source);
        }
        try {
            checkIssuedAt(claims, source);
            return new AccessGrant(permissions(claims), channels(claims, source), expiry(claims, source), token);
        } catch (MalformedClaimException e) {
            throw AccessDeniedException.invalid(source, "the access token's claims are invalid: " + e.getMessage());
        }
    }

    private static AccessDeniedException rejection(ParseException e, String source) {
        // jose4j 0.9.6 ends some messages with the token itself ("Unable to process JOSE object (cause: ...): ..."),
        // so only its error codes shape the response.
        if (e.getCause() instanceof InvalidJwtException invalid) {
            if (invalid.hasExpired()) {
                return AccessDeniedException.expired(source, "the access token has expired; get a new token");
            }
            if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                return AccessDeniedException.invalid(source, "the access token's signature is invalid: it was "
                        + "not signed with this service's secret (orderly.auth.token-secret)");
            }
        }
        return AccessDeniedException.invalid(source, "the access token is invalid: it must be a JWT signed with "
                + "HS256 under this service's secret (orderly.auth.token-secret), with exp and iat claims");
    }

    /** Rejects a token issued in the future, beyond the clock skew; jose4j checks only that iat is present. */
    private void checkIssuedAt(JwtClaims claims, String source) throws MalformedClaimException {
        long latest = Instant.now().getEpochSecond() + clockSkewSeconds;
        if (claims.getIssuedAt().getValue() > latest) {
            throw AccessDeniedException.invalid(source, "the access token's iat claim is in the future; check the "
                    + "clock of the token's issuer");
        }
    }

    private static Set<Permission> permissions(JwtClaims claims) throws MalformedClaimException {
        String scope = claims.getStringClaimValue(SCOPE_CLAIM);
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        if (scope == null) {
            return permissions;
        }
        for (String word : scope.split(" ")) {
            for (Permission permission : Permission.values()) {
                if (permission.scopeValue().equals(word)) {
                    permissions.add(permission);
                }
            }
        }
        return permissions;
    }

    private static List<String> channels(JwtClaims claims, String source) throws MalformedClaimException {
        if (!claims.hasClaim(CHANNELS_CLAIM)) {
            return List.of();
        }
        if (!claims.isClaimValueStringList(CHANNELS_CLAIM)
                || claims.getStringListClaimValue(CHANNELS_CLAIM).contains(null)) {
            throw AccessDeniedException.invalid(source, "the access token's channels claim must be a list of "
                    + "channel names or patterns");
        }
        return new ArrayList<>(claims.getStringListClaimValue(CHANNELS_CLAIM));
    }

    private Instant expiry(JwtClaims claims, String source) throws MalformedClaimException {
        NumericDate exp = claims.getExpirationTime();
        try {
            return Instant.ofEpochSecond(exp.getValue()).plusSeconds(clockSkewSeconds);
        } catch (DateTimeException e) {
            throw AccessDeniedException.invalid(source, "the access token's exp claim is beyond the range of dates");
        }
    }
}
