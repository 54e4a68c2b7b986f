package dev.orderly.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * The Redis Cluster that {@code .ci/redis-cluster start} runs for the cluster tests: three masters with one
 * replica each on 127.0.0.1. The environment variable {@value #NODES_VARIABLE} lists its nodes and
 * {@value #DIRECTORY_VARIABLE} names the directory with each node's config file and PID file.
 *
 * <p>Commands go through {@code redis-cli} to one node at a time, because the tests inspect and change single
 * nodes (slot owners, sharded subscriptions, a stopped master), which a cluster client hides.
 */
public final class ClusterRedis {

    public static final String NODES_VARIABLE = "ORDERLY_TEST_REDIS_CLUSTER";
    public static final String DIRECTORY_VARIABLE = "ORDERLY_TEST_REDIS_CLUSTER_DIR";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private ClusterRedis() {
    }

    /** Returns whether the environment names a cluster. */
    public static boolean isConfigured() {
        String nodes = System.getenv(NODES_VARIABLE);
        return nodes != null && !nodes.isBlank();
    }

    /** Returns the {@code quarkus.redis.hosts} value that names every node. */
    public static String hosts() {
        return Arrays.stream(nodes().split(","))
                .map(node -> "redis://" + node.trim())
                .collect(Collectors.joining(","));
    }

    /** Returns the ports of the nodes that are masters now and not marked failed, in ascending order. */
    public static List<Integer> masters() {
        TreeSet<Integer> masters = new TreeSet<>();
        for (String line : clusterNodes()) {
            String[] fields = line.split(" ");
            if (fields[2].contains("master") && !fields[2].contains("fail")) {
                masters.add(portOf(fields[1]));
            }
        }
        return new ArrayList<>(masters);
    }

    /** Returns the hash slot of {@code key}. */
    public static int slotOf(String key) {
        return Integer.parseInt(cli(anyNode(), "cluster", "keyslot", key).get(0));
    }

    /** Returns the port of the master that owns {@code slot}, as a live master reports it. */
    public static int ownerOf(int slot) {
        for (String line : clusterNodes()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue;
                }
                String[] range = fields[i].split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
                if (slot >= first && slot <= last) {
                    return portOf(fields[1]);
                }
            }
        }
        throw new IllegalStateException("no live master owns slot " + slot);
    }

    /** Returns the port of a replica of the master on {@code masterPort}, or -1 when it has none. */
    public static int replicaOf(int masterPort) {
        String masterId = cli(masterPort, "cluster", "myid").get(0);
        for (String line : clusterNodes()) {
            String[] fields = line.split(" ");
            if (fields[2].contains("slave") && !fields[2].contains("fail") && fields[3].equals(masterId)) {
                return portOf(fields[1]);
            }
        }
        return -1;
    }

    /**
     * Moves {@code slot} with its keys from the master on {@code from} to the master on {@code to}, the way
     * {@code redis-cli --cluster reshard} does: importing and migrating states, {@code MIGRATE} of every key,
     * then the new owner announced to both nodes.
     */
    public static void migrateSlot(int slot, int from, int to) {
        String fromId = cli(from, "cluster", "myid").get(0);
        String toId = cli(to, "cluster", "myid").get(0);
        expectOk(cli(to, "cluster", "setslot", Integer.toString(slot), "importing", fromId));
        expectOk(cli(from, "cluster", "setslot", Integer.toString(slot), "migrating", toId));
        while (true) {
            List<String> keys = cli(from, "cluster", "getkeysinslot", Integer.toString(slot), "100");
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("migrate", "127.0.0.1", Integer.toString(to), "", "0",
                    "5000", "keys"));
            migrate.addAll(keys);
            List<String> reply = cli(from, migrate.toArray(String[]::new));
            if (!reply.equals(List.of("OK")) && !reply.equals(List.of("NOKEY"))) {
                throw new IllegalStateException("MIGRATE of slot " + slot + " failed: " + reply);
            }
        }
        expectOk(cli(to, "cluster", "setslot", Integer.toString(slot), "node", toId));
        expectOk(cli(from, "cluster", "setslot", Integer.toString(slot), "node", toId));
        for (int master : masters()) {
            if (master != from && master != to) {
                cli(master, "cluster", "setslot", Integer.toString(slot), "node", toId);
            }
        }
    }

    /** Stops the node on {@code port} with SIGTERM, through the PID file the start script gave it. */
    public static void stopNode(int port) {
        long pid = Long.parseLong(read(directory().resolve(port + ".pid")).trim());
        ProcessHandle node = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("Redis node " + port + " (PID " + pid + ") is not running"));
        node.destroy();
        Awaitility.await("Redis node " + port + " stopping")
                .atMost(COMMAND_TIMEOUT)
                .until(() -> !node.isAlive());
    }

    /** Starts the node on {@code port} again with its own config file; it rejoins the cluster from nodes.conf. */
    public static void startNode(int port) {
        run(List.of("redis-server", directory().resolve(port + ".conf").toString()));
        Awaitility.await("Redis node " + port + " answering PING")
                .atMost(COMMAND_TIMEOUT)
                .ignoreExceptions()
                .until(() -> cli(port, "ping").equals(List.of("PONG")));
    }

    /** Waits until every live node reports {@code cluster_state:ok} and {@code slots} are all served. */
    public static void awaitHealthy() {
        Awaitility.await("Redis Cluster healthy")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> masters().size() == 3 && masters().stream()
                        .allMatch(port -> cli(port, "cluster", "info").contains("cluster_state:ok")));
    }

    /** Returns the Orderly live channels with a sharded subscriber on any master. */
    public static List<String> shardChannels() {
        List<String> channels = new ArrayList<>();
        for (int master : masters()) {
            channels.addAll(cli(master, "pubsub", "shardchannels", "orderly:*"));
        }
        return channels;
    }

    /** Returns the number of sharded subscriptions of each connection to the node on {@code port} that has any. */
    public static List<Integer> shardSubscriptionsPerConnection(int port) {
        List<Integer> counts = new ArrayList<>();
        for (String client : cli(port, "client", "list")) {
            for (String field : client.split(" ")) {
                if (field.startsWith("ssub=") && !field.equals("ssub=0")) {
                    counts.add(Integer.parseInt(field.substring("ssub=".length())));
                }
            }
        }
        return counts;
    }

    /** Returns the number of client connections of type normal or pubsub on the node on {@code port}. */
    public static int clientConnections(int port) {
        int count = 0;
        for (String client : cli(port, "client", "list")) {
            // Replication links have flag S or M; the redis-cli connection asking is subtracted.
            if (client.contains(" flags=N ") || client.contains(" flags=P ")) {
                count++;
            }
        }
        return count - 1;
    }

    /** Runs one command on the node on {@code port} and returns the reply lines. */
    public static List<String> cli(int port, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        return run(line);
    }

    private static List<String> clusterNodes() {
        for (String node : nodes().split(",")) {
            int port = portOf(node.trim());
            try {
                List<String> lines = cli(port, "cluster", "nodes");
                if (!lines.isEmpty() && lines.get(0).split(" ").length >= 8) {
                    return lines;
                }
            } catch (IllegalStateException stopped) {
                // A stopped node; ask the next one.
            }
        }
        throw new IllegalStateException("no node of " + nodes() + " answered CLUSTER NODES");
    }

    private static int anyNode() {
        return masters().get(0);
    }

    private static List<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || output.startsWith("Could not connect")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output.isBlank() ? List.of() : List.of(output.strip().split("\r?\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        }
    }

    private static void expectOk(List<String> reply) {
        if (!reply.equals(List.of("OK"))) {
            throw new IllegalStateException("Redis Cluster command failed: " + reply);
        }
    }

    private static int portOf(String address) {
        String hostPort = address.split("@")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private static String nodes() {
        String nodes = System.getenv(NODES_VARIABLE);
        if (nodes == null || nodes.isBlank()) {
            throw new IllegalStateException(NODES_VARIABLE + " is not set; start the cluster with "
                    + ".ci/redis-cluster start and export the variables it prints");
        }
        return nodes;
    }

    private static Path directory() {
        String directory = System.getenv(DIRECTORY_VARIABLE);
        if (directory == null || directory.isBlank()) {
            throw new IllegalStateException(DIRECTORY_VARIABLE + " is not set; start the cluster with "
                    + ".ci/redis-cluster start and export the variables it prints");
        }
        return Path.of(directory);
    }
}
