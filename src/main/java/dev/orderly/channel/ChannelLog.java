package dev.orderly.channel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.RedisUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;

/**
 * A channel's history in Redis: the offset counter, the stream of events and the live feed (key layout in
 * {@link ChannelKeys}).
 *
 * <p>Guarantees: an append is one Lua script, so the offset increment, the stream entry and the live publish
 * happen together or not at all, and offsets within an epoch are contiguous with no duplicates. A reader may see
 * fewer entries than the retention bound, because {@code MAXLEN ~} trims approximately and keys expire after the
 * TTL, so callers compare the first offset returned with the one they asked for.
 *
 * <p>Created at startup, so its metrics ({@code orderly.events.emitted}, {@code orderly.emit.latency}) are listed
 * before the first emit.
 *
 * <p>NOTE: offsets are unique only while Redis keeps every acknowledged write. If Redis restarts having lost
 * its last writes (AOF with {@code appendfsync everysec}, or RDB only) but kept the meta hash, the lost offsets
 * are assigned again in the same epoch, and a subscriber that saw the lost events cannot tell. The same holds
 * when a Redis Cluster master crashes before its replica received its last writes (replication is asynchronous
 * and the append does not wait for replicas with {@code WAIT}) and that replica takes over.
 */
@Startup
@ApplicationScoped
public class ChannelLog {

    private static final LuaScript APPEND = LuaScript.load("lua/append.lua");
    private static final LuaScript READ = LuaScript.load("lua/read.lua");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveRedisDataSource redis;
    private final OrderlyConfig config;
    private final LiveFeedMode liveFeed;
    private final Counter emitted;
    private final Timer emitLatency;

    @Inject
    public ChannelLog(ReactiveRedisDataSource redis, OrderlyConfig config, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone")
            RedisClientType clientType) {
        this.redis = redis;
        this.config = config;
        this.liveFeed = LiveFeedMode.of(clientType);
        this.emitted = meters.counter("orderly.events.emitted");
        this.emitLatency = Timer.builder("orderly.emit.latency")
                .description("Time of the append script's round trip to Redis, for appends that succeeded")
                .register(meters);
    }

    /**
     * Appends an event whose data was already checked by {@link EventTypes}, and publishes it to live
     * subscribers in the same step.
     *
     * @param idempotencyKey when not {@code null}, an emit with the same key on this channel within the
     *        idempotency window returns the first result and appends nothing
     * @throws InvalidRequestException 422 (in the {@code Uni}) when the key was used for a different event
     */
    public Uni<AppendResult> append(String channel, String event, String dataJson, String idempotencyKey) {
        ChannelKeys keys = ChannelKeys.of(channel);
        List<String> keyList = new ArrayList<>(List.of(keys.meta(), keys.log()));
        List<String> args = new ArrayList<>(List.of(
                event,
                dataJson,
                Long.toString(System.currentTimeMillis()),
                Long.toString(config.channel().retention()),
                Long.toString(Math.max(1, config.channel().ttl().toSeconds())),
                newEpoch(),
                liveFeed.publish(),
                keys.live()));
        if (idempotencyKey != null) {
            keyList.add(keys.idempotency(idempotencyKey));
            args.add(Long.toString(Math.max(1, config.channel().idempotencyWindow().toSeconds())));
            args.add(checksum(event, dataJson));
        }
        long started = System.nanoTime();
        return APPEND.run(redis, keyList, args)
                .onItem().invoke(reply -> countAppend(reply, started))
                .onFailure(RedisUnavailableException::isUnreachable)
                .transform(failure -> new RedisUnavailableException("Appending to channel " + channel, failure))
                .onFailure(ChannelLog::isIdempotencyConflict)
                .transform(failure -> new InvalidRequestException(422, "Idempotency-Key", idempotencyKey,
                        "Idempotency-Key " + idempotencyKey + " was already used on channel " + channel
                                + " for a different event; use a new key for a new event"))
                .map(reply -> new AppendResult(reply.get(0).toString(), reply.get(1).toLong(),
                        reply.get(2).toInteger() == 1));
    }

    private void countAppend(Response reply, long started) {
        emitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (reply.get(2).toInteger() == 0) {
            emitted.increment();
        }
    }

    /** Reads the channel's epoch and top offset without any entries. */
    public Uni<HistoryPage> position(String channel) {
        return read(channel, 1, Long.MAX_VALUE, 0);
    }

    /**
     * Reads up to {@code limit} events with offsets from {@code first} to {@code last}, inclusive, together with
     * the channel's epoch and top offset.
     */
    public Uni<HistoryPage> read(String channel, long first, long last, int limit) {
        ChannelKeys keys = ChannelKeys.of(channel);
        String lastId = last == Long.MAX_VALUE ? "+" : last + "-0";
        List<String> args = List.of(first + "-0", lastId, Integer.toString(limit));
        return READ.run(redis, List.of(keys.meta(), keys.log()), args)
                .onFailure(RedisUnavailableException::isUnreachable)
                .transform(failure -> new RedisUnavailableException("Reading channel " + channel, failure))
                .map(reply -> toPage(channel, reply));
    }

    private static HistoryPage toPage(String channel, Response reply) {
        Response epochReply = reply.get(0);
        String epoch = epochReply == null ? null : epochReply.toString();
        long top = reply.get(1).toLong();
        Response entries = reply.get(2);
        List<ChannelEvent> events = new ArrayList<>(entries.size());
        for (Response entry : entries) {
            events.add(toEvent(channel, epoch, entry));
        }
        return new HistoryPage(epoch, top, events);
    }

    private static ChannelEvent toEvent(String channel, String epoch, Response entry) {
        String id = entry.get(0).toString();
        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
        Response fields = entry.get(1);
        String event = null;
        String data = null;
        long emittedAt = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = fields.get(i + 1).toString();
            switch (fields.get(i).toString()) {
                case "event" -> event = value;
                case "data" -> data = value;
                case "emittedAt" -> emittedAt = Long.parseLong(value);
                default -> {
                    // Fields added by a later version are ignored.
                }
            }
        }
        return ChannelEvent.of(channel, epoch, offset, event, emittedAt, data);
    }

    private static boolean isIdempotencyConflict(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("IDEMPOTENCY_CONFLICT");
    }

    private static String checksum(String event, String dataJson) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(event.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(dataJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
