package dev.orderly.error;

/** Redis could not be reached, so the request was not carried out. Mapped to 503. */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String action, Throwable cause) {
        super(action + " failed because Redis is unavailable: " + cause.getMessage()
                + ". Check that Redis runs at the address in QUARKUS_REDIS_HOSTS.", cause);
    }

    /**
     * Returns whether {@code failure} means Redis could not be reached, as opposed to Redis replying with
     * an error, which is a server bug.
     */
    public static boolean isUnreachable(Throwable failure) {
        if (!(failure instanceof io.vertx.redis.client.Response)) {
            return true;
        }
        // The Vert.x client reports a connection closed mid-command as an error reply of its own.
        return failure.getMessage() != null && failure.getMessage().startsWith("CONNECTION_CLOSED");
    }
}
