package dev.orderly.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.hub.ChannelHub;
import dev.orderly.support.ClusterProfile;
import dev.orderly.support.ClusterRedis;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Orderly on a Redis Cluster of three masters with one replica each: sharded pub/sub, channels spread over every
 * master, a slot migrating under a busy channel, a master failing over, and the number of Redis connections.
 */
@QuarkusTest
@TestProfile(ClusterProfile.class)
@EnabledIfEnvironmentVariable(named = ClusterRedis.NODES_VARIABLE, matches = ".+",
        disabledReason = "needs a Redis 7 cluster for sharded pub/sub; .ci/run starts one with .ci/redis-cluster")
class RedisClusterTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TestHTTPResource("/api/realtime")
    URL realtime;

    @Inject
    SubscriptionRegistry registry;

    @Inject
    ChannelHub hub;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "quarkus.redis.max-pool-size")
    int maxPoolSize;

    @AfterEach
    void subscriptionsReleased() {
        Awaitility.await("subscriptions released")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> registry.size() == 0 && hub.listenerCount() == 0 && hub.channelCount() == 0
                        && ClusterRedis.shardChannels().isEmpty());
        assertEquals(0, registry.size(), "open SSE connections");
        assertEquals(0, hub.listenerCount(), "hub listeners");
        assertEquals(List.of(), ClusterRedis.shardChannels(), "sharded pub/sub channels on the masters");
    }

    @Test
    void twentyChannelRunsAreClean() {
        List<String> channelIds = channelsOverAllMasters(20);

        assertRunsClean(channelIds, 100, 5);
        assertRunsClean(channelIds, 1000, 0);
    }

    @Test
    void slotMigrationKeepsDeliveryInOrder() throws Exception {
        String channel = "migrating:" + Runs.newChannelId();
        int slot = ClusterRedis.slotOf(ChannelKeys.of(channel).live());
        int from = ClusterRedis.ownerOf(slot);
        int to = ClusterRedis.masters().stream().filter(port -> port != from).findFirst().orElseThrow();
        double movesBefore = meters.counter("orderly.pubsub.channel.moves").count();

        try (SseClient client = SseClient.open(uri(channel))) {
            client.awaitReady();
            CompletableFuture<Void> migration = null;
            for (int sequenceId = 1; sequenceId <= 300; sequenceId++) {
                emitUntilAcknowledged(channel, sequenceId);
                if (sequenceId == 100) {
                    migration = CompletableFuture.runAsync(() -> ClusterRedis.migrateSlot(slot, from, to));
                }
            }
            migration.get();
            List<SseClient.Frame> frames = client.awaitData(300, DELIVERY_TIMEOUT);

            assertEquals(Frames.range(1, 300), Frames.sequenceIds(frames));
            assertEquals(Frames.range(1, 300), Frames.offsets(frames));
            assertEquals(List.of(), client.named("gap"));
            assertEquals(List.of(), client.named("reset"));
            assertEquals(List.of(), client.named("error"));
            assertEquals(to, ClusterRedis.ownerOf(slot));
            assertEquals(List.of(1), ClusterRedis.shardSubscriptionsPerConnection(to),
                    "subscriptions at the new owner");
            assertEquals(List.of(), ClusterRedis.shardSubscriptionsPerConnection(from),
                    "subscriptions at the old owner");
            assertEquals(movesBefore + 1, meters.counter("orderly.pubsub.channel.moves").count());
        }
    }

    @Test
    void masterFailoverDeliversEveryAcknowledgedEvent() throws Exception {
        String channel = "failover:" + Runs.newChannelId();
        int slot = ClusterRedis.slotOf(ChannelKeys.of(channel).live());
        int master = ClusterRedis.ownerOf(slot);
        int replica = ClusterRedis.replicaOf(master);
        assertTrue(replica > 0, "master " + master + " has a replica");
        double dropsBefore = meters.counter("orderly.pubsub.link.drops").count();
        double movesBefore = meters.counter("orderly.pubsub.channel.moves").count();

        try (SseClient client = SseClient.open(uri(channel))) {
            client.awaitReady();
            List<Long> acknowledged = new ArrayList<>();
            for (int sequenceId = 1; sequenceId <= 300; sequenceId++) {
                acknowledged.add(emitUntilAcknowledged(channel, sequenceId));
                if (sequenceId == 100) {
                    ClusterRedis.stopNode(master);
                }
            }
            List<SseClient.Frame> frames = client.awaitData(300, DELIVERY_TIMEOUT);

            assertEquals(Frames.range(1, 300), acknowledged);
            assertEquals(acknowledged, Frames.offsets(frames));
            assertEquals(Frames.range(1, 300), Frames.sequenceIds(frames));
            assertEquals(List.of(), client.named("gap"));
            assertEquals(List.of(), client.named("reset"));
            assertEquals(List.of(), client.named("error"));
            assertEquals(replica, ClusterRedis.ownerOf(slot), "the replica took over the slot");
            assertEquals(dropsBefore + 1, meters.counter("orderly.pubsub.link.drops").count());
            assertEquals(movesBefore + 1, meters.counter("orderly.pubsub.channel.moves").count());
        } finally {
            ClusterRedis.startNode(master);
            ClusterRedis.awaitHealthy();
        }

        // The same instance, without a restart, serves a new subscriber on the failed-over channel.
        try (SseClient later = SseClient.open(uri(channel))) {
            later.awaitReady();
            emitUntilAcknowledged(channel, 301);
            assertEquals(List.of(301L), Frames.offsets(later.awaitData(1, DELIVERY_TIMEOUT)));
        }
    }

    @Test
    void manualFailoverResubscribesAtReplica() {
        String channel = "promoted:" + Runs.newChannelId();
        int slot = ClusterRedis.slotOf(ChannelKeys.of(channel).live());
        int master = ClusterRedis.ownerOf(slot);
        int replica = ClusterRedis.replicaOf(master);
        assertTrue(replica > 0, "master " + master + " has a replica");

        try (SseClient client = SseClient.open(uri(channel))) {
            client.awaitReady();
            for (int sequenceId = 1; sequenceId <= 50; sequenceId++) {
                emitUntilAcknowledged(channel, sequenceId);
            }
            // The old master becomes a replica and keeps its connections open, so no link of the hub drops.
            ClusterRedis.cli(replica, "cluster", "failover");
            Awaitility.await("replica " + replica + " promoted")
                    .atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> ClusterRedis.ownerOf(slot) == replica);
            for (int sequenceId = 51; sequenceId <= 100; sequenceId++) {
                emitUntilAcknowledged(channel, sequenceId);
            }
            List<SseClient.Frame> frames = client.awaitData(100, DELIVERY_TIMEOUT);

            assertEquals(Frames.range(1, 100), Frames.offsets(frames));
            assertEquals(List.of(), client.named("gap"));
            assertEquals(List.of(), client.named("reset"));
            assertEquals(List.of(), client.named("error"));
            Awaitility.await("subscription at the promoted replica " + replica)
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> ClusterRedis.shardSubscriptionsPerConnection(replica).equals(List.of(1)));
        } finally {
            ClusterRedis.awaitHealthy();
        }
    }

    @Test
    void thousandChannelsUseOneLinkPerMaster() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            channels.add("many:" + i + ":" + Runs.newChannelId());
        }
        List<SseClient> clients = new ArrayList<>();
        try {
            // 16 channels per connection, the limit per subscription, so 63 SSE connections carry 1,000 channels.
            for (int first = 0; first < channels.size(); first += 16) {
                List<String> group = channels.subList(first, Math.min(first + 16, channels.size()));
                clients.add(SseClient.openCompact(uri(String.join("&channel=", group))));
            }
            clients.forEach(SseClient::awaitReady);

            List<Integer> masters = ClusterRedis.masters();
            assertEquals(1000, hub.channelCount());
            assertEquals(masters.size(), hub.linkCount());
            int subscribed = 0;
            int connections = 0;
            for (int master : masters) {
                List<Integer> perConnection = ClusterRedis.shardSubscriptionsPerConnection(master);
                assertEquals(1, perConnection.size(), "connections with sharded subscriptions on " + master);
                subscribed += perConnection.get(0);
                connections += ClusterRedis.clientConnections(master);
            }
            assertEquals(1000, subscribed);
            // Besides its one pub/sub link, the instance keeps at most a full command pool per master, which
            // concurrent requests fill whatever the number of channels.
            assertTrue(connections <= masters.size() * (1 + maxPoolSize),
                    connections + " client connections on " + masters.size() + " masters");
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    /** Runs the reproduction on every channel at once, each watched by its own subscriber, and checks reports. */
    private void assertRunsClean(List<String> channelIds, int count, int delayMs) {
        Map<String, SseClient> clients = new HashMap<>();
        try {
            for (String channelId : channelIds) {
                clients.put(channelId, SseClient.open(uri("generate:" + channelId)));
            }
            clients.values().forEach(SseClient::awaitReady);
            Map<String, CompletableFuture<JsonPath>> runs = new HashMap<>();
            for (String channelId : channelIds) {
                runs.put(channelId, Runs.start(channelId, count, 1, 5000, delayMs));
            }
            for (String channelId : channelIds) {
                JsonPath run = runs.get(channelId).join();
                List<SseClient.Frame> frames = clients.get(channelId).awaitData(count + 1, DELIVERY_TIMEOUT);
                JsonPath report = Runs.report(run.getString("runId"), Frames.arrivals(frames));

                assertEquals(count + 1, report.getInt("received"), "received on " + channelId);
                assertEquals(0, report.getInt("missingCount"), "missing on " + channelId);
                assertEquals(0, report.getInt("duplicateCount"), "duplicates on " + channelId);
                assertTrue(report.getBoolean("inOrder"), "order on " + channelId);
                assertTrue(report.getBoolean("clean"), "clean report on " + channelId);
            }
        } finally {
            clients.values().forEach(SseClient::close);
        }
    }

    /** Returns new channel ids whose channels are spread evenly over the masters. */
    private static List<String> channelsOverAllMasters(int count) {
        List<Integer> masters = ClusterRedis.masters();
        int perMaster = (count + masters.size() - 1) / masters.size();
        Map<Integer, Integer> perOwner = new HashMap<>();
        List<String> channelIds = new ArrayList<>();
        while (channelIds.size() < count) {
            String channelId = Runs.newChannelId();
            int owner = ClusterRedis.ownerOf(ClusterRedis.slotOf(ChannelKeys.of("generate:" + channelId).live()));
            if (perOwner.getOrDefault(owner, 0) < perMaster) {
                perOwner.merge(owner, 1, Integer::sum);
                channelIds.add(channelId);
            }
        }
        assertEquals(new TreeSet<>(masters), new TreeSet<>(perOwner.keySet()), "masters serving the channels");
        return channelIds;
    }

    /**
     * Emits one content event with an Idempotency-Key and repeats it while Redis is unavailable (a failover in
     * progress), so an event counts as acknowledged only once the service returned its offset.
     */
    private static long emitUntilAcknowledged(String channel, long sequenceId) {
        String key = "seq-" + sequenceId;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Response response = given()
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", key)
                    .body(Map.of("event", "generate.event", "data", Map.of("type", "content", "data",
                            Map.of("messageId", "m", "sequenceId", sequenceId, "content", "event " + sequenceId))))
                    .when()
                    .post("/api/channels/{channel}/events", channel);
            if (response.statusCode() == 200) {
                return response.jsonPath().getLong("offset");
            }
            assertEquals(503, response.statusCode(), "emit of " + sequenceId + ": " + response.asString());
            assertTrue(Instant.now().isBefore(deadline), "Redis stayed unavailable for 30 s");
            sleep(Duration.ofMillis(100));
        }
    }

    private URI uri(String channels) {
        return URI.create(realtime + "?channel=" + channels);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
