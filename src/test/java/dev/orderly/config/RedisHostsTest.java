package dev.orderly.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Redaction of Redis addresses for health data, and detection of the production placeholder. */
class RedisHostsTest {

    @Test
    void redactRemovesUserInfo() {
        assertEquals("redis://***@10.0.0.1:6379,redis://10.0.0.2:6379",
                RedisHosts.redact("redis://app:s3cret@10.0.0.1:6379,redis://10.0.0.2:6379"));
        assertEquals("rediss://***@cache:6380/0", RedisHosts.redact("rediss://:s3cret@cache:6380/0"));
    }

    @Test
    void redactKeepsAddressWithoutUserInfo() {
        assertEquals("redis://127.0.0.1:6379", RedisHosts.redact("redis://127.0.0.1:6379"));
    }

    @Test
    void placeholderCountsAsUnconfigured() {
        assertTrue(RedisHosts.isUnconfigured(Optional.empty()));
        assertTrue(RedisHosts.isUnconfigured(Optional.of("redis://127.0.0.1:1")));
        assertFalse(RedisHosts.isUnconfigured(Optional.of("redis://127.0.0.1:6379")));
    }
}
