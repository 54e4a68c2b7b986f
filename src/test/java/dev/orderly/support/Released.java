package dev.orderly.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

import dev.orderly.hub.ChannelHub;
import dev.orderly.delivery.SubscriptionRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/** Checks that every subscription a test opened was released, in Redis and in the service's memory. */
public final class Released {

    private Released() {
    }

    /** Waits up to 10 seconds for no open SSE connection, no hub listener and no Orderly pub/sub channel. */
    public static void assertAllReleased(RedisDataSource redis, SubscriptionRegistry registry, ChannelHub hub) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> registry.size() == 0 && hub.listenerCount() == 0 && hub.channelCount() == 0
                        && liveChannels(redis).isEmpty());
        assertEquals(0, registry.size(), "open SSE connections");
        assertEquals(0, hub.listenerCount(), "hub listeners");
        assertEquals(List.of(), liveChannels(redis), "Redis pub/sub channels");
    }

    /** Returns the Orderly live channels Redis has at least one subscriber for. */
    public static List<String> liveChannels(RedisDataSource redis) {
        List<String> names = new java.util.ArrayList<>();
        for (Response channel : redis.execute("PUBSUB", "CHANNELS", "orderly:*")) {
            names.add(channel.toString());
        }
        return names;
    }

    /** Returns the number of subscribers Redis counts for one pub/sub channel. */
    public static long subscribers(RedisDataSource redis, String liveChannel) {
        return redis.execute("PUBSUB", "NUMSUB", liveChannel).get(1).toLong();
    }
}
