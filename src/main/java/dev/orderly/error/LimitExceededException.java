package dev.orderly.error;

import java.util.Map;

/**
 * Rejects a request that breaks a configured limit (size, rate, connections) before anything is written. Mapped to
 * a {@link Problem} of type {@code limit-exceeded}, with a {@code Retry-After} header when waiting can help.
 */
public class LimitExceededException extends InvalidRequestException {

    private final String limit;
    private final long retryAfterSeconds;

    /**
     * @param limit the name of the limit, used as the {@code limit} tag of {@code orderly_requests_rejected_total}
     * @param retryAfterSeconds the {@code Retry-After} value, or 0 to send none
     */
    public LimitExceededException(int status, String limit, long retryAfterSeconds, String field, Object value,
            String message) {
        super(status, field, value, message);
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Map<String, String> responseHeaders() {
        return retryAfterSeconds > 0 ? Map.of("Retry-After", Long.toString(retryAfterSeconds)) : Map.of();
    }
}
