package dev.orderly.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

/** Which Redis failures mean "unavailable now" (503) and which are server bugs (500). */
class RedisUnavailableExceptionTest {

    @ParameterizedTest
    @ValueSource(strings = { "LOADING Redis is loading the dataset in memory", "CONNECTION_CLOSED",
        "BUSY Redis is busy running a script", "MASTERDOWN Link with MASTER is down", "TRYAGAIN Multiple keys",
        "CLUSTERDOWN The cluster is down", "MOVED 3567 127.0.0.1:7101", "ASK 3567 127.0.0.1:7102" })
    void transientReplyIsUnreachable(String reply) {
        assertTrue(RedisUnavailableException.isUnreachable(ErrorType.create(reply)), reply);
    }

    @ParameterizedTest
    @ValueSource(strings = { "ERR unknown command", "WRONGTYPE Operation against a key holding the wrong kind",
        "NOSCRIPT No matching script", "IDEMPOTENCY_CONFLICT the key was used for a different request" })
    void errorReplyIsNotUnreachable(String reply) {
        assertFalse(RedisUnavailableException.isUnreachable(ErrorType.create(reply)), reply);
    }

    @Test
    void refusedConnectionIsUnreachable() {
        assertTrue(RedisUnavailableException.isUnreachable(new ConnectException("Connection refused")));
    }
}
