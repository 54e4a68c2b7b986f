package dev.orderly.error;

import java.util.List;

import dev.orderly.config.RedisHosts;

/** Redis could not be reached, so the request was not carried out. Mapped to 503. */
public class RedisUnavailableException extends RuntimeException {

    private static final List<String> TRANSIENT_REPLIES =
            List.of("CONNECTION_CLOSED", "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "MOVED", "ASK");

    public RedisUnavailableException(String action, Throwable cause) {
        super(action + " failed because " + reason(cause), cause);
    }

    private static String reason(Throwable cause) {
        if (RedisHosts.isUnconfigured()) {
            // Without an address the client tries the placeholder, whose connection error would mislead.
            return "Redis is not configured: " + RedisHosts.HOW_TO_CONFIGURE + ".";
        }
        return "Redis is unavailable: " + cause.getMessage()
                + ". Check that Redis runs at the address in QUARKUS_REDIS_HOSTS.";
    }

    /**
     * Returns whether {@code failure} means Redis could not be reached, as opposed to Redis replying with
     * an error, which is a server bug.
     */
    public static boolean isUnreachable(Throwable failure) {
        if (!(failure instanceof io.vertx.redis.client.Response)) {
            return true;
        }
        // The Vert.x client reports a connection closed mid-command as an error reply of its own. Redis replies
        // LOADING while it reads its data after a restart, BUSY while a script runs too long, MASTERDOWN,
        // TRYAGAIN or CLUSTERDOWN during a failover, and MOVED or ASK when a slot moved more often than the
        // cluster client follows redirects. Each means "not available now", not a bug.
        String message = failure.getMessage();
        return message != null && TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
    }
}
