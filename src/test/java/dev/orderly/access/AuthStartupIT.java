package dev.orderly.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.orderly.support.PackagedApp;
import dev.orderly.support.Tokens;
import redis.embedded.RedisServer;

/**
 * The packaged service in production mode. It does not start until access tokens are configured or turned off,
 * and its error names both settings. With a secret it requires tokens and logs that, without logging the secret.
 */
class AuthStartupIT {

    private static final String SECRET = "production-secret-for-the-startup-check-1";

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = PackagedApp.startRedis();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.stop();
    }

    @Test
    void refusesToStartUnconfigured() throws Exception {
        try (PackagedApp app = PackagedApp.launch(PackagedApp.hostsOf(redis), Map.of())) {
            assertTrue(app.process().waitFor(30, TimeUnit.SECONDS), "the service kept running without auth settings");

            assertNotEquals(0, app.process().exitValue());
            String log = app.log();
            assertTrue(log.contains("Channel access tokens are neither configured nor turned off. Set "
                    + "ORDERLY_AUTH_TOKEN_SECRET"), log);
            assertTrue(log.contains("ORDERLY_AUTH_ENABLED=false"), log);
        }
    }

    @Test
    void refusesShortSecret() throws Exception {
        try (PackagedApp app = PackagedApp.launch(PackagedApp.hostsOf(redis),
                Map.of("ORDERLY_AUTH_TOKEN_SECRET", "too-short"))) {
            assertTrue(app.process().waitFor(30, TimeUnit.SECONDS), "the service started with a 9-byte secret");

            assertNotEquals(0, app.process().exitValue());
            assertTrue(app.log().contains("orderly.auth.token-secret has 9 bytes; HS256 needs at least 32"),
                    app.log());
            assertFalse(app.log().contains("too-short"), "the log carries the secret");
        }
    }

    @Test
    void refusesMistypedSwitch() throws Exception {
        try (PackagedApp app = PackagedApp.launch(PackagedApp.hostsOf(redis),
                Map.of("ORDERLY_AUTH_ENABLED", "maybe", "ORDERLY_AUTH_TOKEN_SECRET", SECRET))) {
            assertTrue(app.process().waitFor(30, TimeUnit.SECONDS), "the service started with a mistyped switch");

            assertNotEquals(0, app.process().exitValue());
            assertTrue(app.log().contains("orderly.auth.enabled is \"maybe\"; it must be true or false"), app.log());
        }
    }

    @Test
    void secretRequiresTokens() throws Exception {
        try (PackagedApp app = PackagedApp.start(PackagedApp.hostsOf(redis),
                Map.of("ORDERLY_AUTH_TOKEN_SECRET", SECRET))) {
            String token = Tokens.sign(Tokens.claims("emit", List.of("orders")), SECRET);

            assertEquals(401, app.emit("orders", 1));
            assertEquals(200, app.emit("orders", 1, token));
            String log = app.log();
            assertTrue(log.contains("Channel access tokens are required on /api/"), log);
            assertFalse(log.contains(SECRET), "the log carries the secret");
            assertFalse(log.contains(token), "the log carries the token");
        }
    }

    @Test
    void explicitOffServesWithoutToken() throws Exception {
        try (PackagedApp app = PackagedApp.start(PackagedApp.hostsOf(redis), Map.of("ORDERLY_AUTH_ENABLED", "false"))) {
            assertEquals(200, app.emit("orders", 1));
            String warning = app.log().lines()
                    .filter(line -> line.contains("Channel access tokens are off (orderly.auth.enabled=false)"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line says tokens are off: " + logOf(app)));
            assertTrue(warning.contains("WARN"), warning);
        }
    }

    private static String logOf(PackagedApp app) {
        try {
            return app.log();
        } catch (java.io.IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
