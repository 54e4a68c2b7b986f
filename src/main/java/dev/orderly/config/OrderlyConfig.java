package dev.orderly.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Orderly's own settings, under the {@code orderly.} prefix. Redis and HTTP use the standard Quarkus keys
 * ({@code quarkus.redis.hosts}, {@code quarkus.http.port}).
 */
@ConfigMapping(prefix = "orderly")
public interface OrderlyConfig {

    /** Retention and expiry of each channel's history. */
    Channel channel();

    /** SSE delivery to subscribers. */
    Delivery delivery();

    /** Limits of the generic emit API. */
    Emit emit();

    /** The reproduction endpoints and the test page. */
    Reproduction reproduction();

    /** Channel access tokens. */
    Auth auth();

    /** The built-in reproduction run. */
    TestRun testRun();

    /** Dev mode only. */
    Dev dev();

    interface Channel {

        /**
         * Events kept per channel stream, applied with {@code XADD MAXLEN ~}, so Redis may keep slightly more.
         * Default 10000. Resuming from an offset older than the retained history yields a {@code gap} frame.
         */
        @WithDefault("10000")
        long retention();

        /**
         * Time a channel's history and offset counter live after its last emit. Default 24 hours. When it
         * expires, the next emit starts a new epoch, and subscribers resuming from the old one get a
         * {@code reset} frame.
         */
        @WithDefault("24h")
        Duration ttl();

        /**
         * How long the result of an emit with an {@code Idempotency-Key} is kept, so that a retry with the same key
         * returns it instead of appending again. Default 24 hours.
         */
        @WithDefault("24h")
        Duration idempotencyWindow();
    }

    interface Delivery {

        /** Interval between SSE heartbeat comments ({@code : ping}) on idle and busy connections. Default 15 s. */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * Interval of the position check, which compares each channel's last delivered offset with its last offset
         * in Redis and reads what is missing. It bounds the delay of an event whose live message was lost and that
         * no later event reveals. Default 10 s.
         */
        @WithDefault("10s")
        Duration positionCheck();

        /** Stream entries read per {@code XRANGE} page when replaying history or filling a gap. Default 500. */
        @WithDefault("500")
        int historyPageSize();

        /**
         * Frames one SSE connection may have queued, not yet written to the client. A subscriber whose queue is full
         * when a live event arrives is closed with an {@code error} frame and resumes from the stream. Default 10000.
         */
        @WithDefault("10000")
        int maxQueuedFrames();

        /**
         * Characters of frame data one SSE connection may have queued (about bytes for ASCII payloads), with the
         * same effect as {@link #maxQueuedFrames}. Default 33554432 (32 MiB).
         */
        @WithDefault("33554432")
        long maxQueuedBytes();

        /** Channels one SSE connection may subscribe to; more is rejected with 400. Default 16. */
        @WithDefault("16")
        int maxChannels();

        /** Browser reconnect delay sent in the SSE {@code retry:} field. Default 1 s. */
        @WithDefault("1s")
        Duration clientRetry();

        /**
         * Open SSE connections this instance accepts; more are rejected with 429 before anything is subscribed.
         * Default 20000.
         */
        @WithDefault("20000")
        int maxConnections();

        /**
         * Open SSE connections this instance accepts from one client IP address, with the same effect. Behind a
         * proxy every client has the proxy's address unless {@code quarkus.http.proxy.proxy-address-forwarding} is
         * on. Default 1000.
         */
        @WithDefault("1000")
        int maxConnectionsPerAddress();
    }

    interface Emit {

        /**
         * Largest event data accepted by {@code POST /api/channels/{channel}/events}, in bytes of its JSON (UTF-8);
         * larger data is rejected with 413. Default 1048576 (1 MiB).
         */
        @WithDefault("1048576")
        int maxEventBytes();

        /**
         * Emits per second accepted on one channel by this instance, with bursts of up to one second's worth;
         * more are rejected with 429. Each instance counts on its own. 0 turns the limit off. Default 10000.
         */
        @WithDefault("10000")
        int maxRatePerChannel();
    }

    interface Reproduction {

        /**
         * Whether {@code POST /api/test-realtime}, {@code POST /api/reports}, {@code POST /api/probes} and the test
         * page are served; when off they return 404. Default off; dev mode and tests turn it on.
         */
        @WithDefault("false")
        boolean enabled();
    }

    interface Auth {

        /**
         * Whether every {@code /api/} request needs a channel access token. Unset by default: then a
         * {@link #tokenSecret} turns authorization on, and without one the packaged service does not start, so that
         * it is never open by accident. {@code false} serves every client without a token. Dev mode and tests set
         * {@code false}. Any value other than {@code true} or {@code false} stops startup, so a typo cannot turn
         * authorization off.
         */
        Optional<String> enabled();

        /**
         * HMAC-SHA256 secret that access tokens are signed with (JWT algorithm {@code HS256}), as text whose UTF-8
         * bytes are the key. At least 32 bytes. Required when authorization is on.
         */
        Optional<String> tokenSecret();

        /**
         * Cookie that {@code GET /api/realtime} reads the token from when neither the {@code Authorization} header
         * nor the {@code access_token} query parameter carries one. Default {@code orderly_token}.
         */
        @WithDefault("orderly_token")
        String cookie();

        /**
         * How long after its {@code exp} a token is still accepted, for clocks that differ between the token's
         * issuer and this host. An open subscription ends this long after its token's {@code exp}. From 0 to 24
         * hours; default 60 s.
         */
        @WithDefault("60s")
        Duration clockSkew();
    }

    interface TestRun {

        /** Time a reproduction run's record (sizes and payload hashes) stays in Redis for reports. Default 24 hours. */
        @WithDefault("24h")
        Duration recordTtl();
    }

    interface Dev {

        /**
         * Port of the embedded redis-server that dev mode starts on 127.0.0.1 when {@code QUARKUS_REDIS_HOSTS} is
         * not set. Default 6390, next to Redis's usual 6379 so that a local Redis is never taken over.
         */
        @WithDefault("6390")
        int embeddedRedisPort();
    }
}
