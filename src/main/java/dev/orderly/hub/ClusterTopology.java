package dev.orderly.hub;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.orderly.config.RedisNodes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.ZModem;

/**
 * Redis Cluster: a live channel is served by the master that owns its hash slot, read from {@code CLUSTER SLOTS}
 * through the application's cluster client. The hub opens one standalone connection to each master it needs,
 * with the settings of the application's client ({@link RedisNodes}).
 *
 * <p>The layout is read again whenever the hub suspects a change, so a stale reply from a node that has not yet
 * learned of a migration or failover costs one more round, not a lost subscription.
 */
final class ClusterTopology implements PubSubTopology {

    private static final int SLOTS = 16384;

    private final Redis cluster;
    private final Vertx vertx;
    private final RedisNodes nodes;
    /** One client per master, touched only on the hub's context. */
    private final Map<String, Redis> clients = new HashMap<>();

    ClusterTopology(Redis cluster, Vertx vertx, RedisNodes nodes) {
        this.cluster = cluster;
        this.vertx = vertx;
        this.nodes = nodes;
    }

    @Override
    public Uni<Layout> resolve() {
        return cluster.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(ClusterTopology::owners);
    }

    @Override
    public Uni<RedisConnection> connect(String node) {
        Redis client = clients.computeIfAbsent(node,
                endpoint -> Redis.createClient(vertx, nodes.nodeOptions(endpoint)));
        return client.connect();
    }

    @Override
    public void close() {
        clients.values().forEach(Redis::close);
        clients.clear();
    }

    /**
     * Maps each slot to its master's {@code host:port}. Each element of the reply is
     * {@code [first slot, last slot, [host, port, id, ...], replicas...]}.
     */
    private static Layout owners(Response slots) {
        String[] owner = new String[SLOTS];
        Set<String> masters = new java.util.HashSet<>();
        for (Response range : slots) {
            Response master = range.get(2);
            String endpoint = master.get(0).toString() + ":" + master.get(1).toInteger();
            masters.add(endpoint);
            for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
                owner[slot] = endpoint;
            }
        }
        Set<String> nodes = Set.copyOf(masters);
        return new Layout() {
            @Override
            public String nodeOf(String live) {
                return owner[ZModem.generate(live)];
            }

            @Override
            public Set<String> nodes() {
                return nodes;
            }
        };
    }
}
