package dev.orderly.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** Entry point: runs the chosen workloads in order and prints one table row per result. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid arguments: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(Options.USAGE);
            return;
        }
        System.exit(run(options));
    }

    private static int run(Options options) throws Exception {
        List<Row> rows = new ArrayList<>();
        Instant started = Instant.now();
        try (Bench bench = new Bench(options)) {
            System.err.printf(Locale.ROOT, "Orderly benchmark %s: targets %s, Redis %s, workloads %s, scale %s%n",
                    bench.runId, bench.targetNames(), options.redis, String.join(",", options.workloads),
                    options.scale);
            String unreachable = checkTargets(bench);
            if (unreachable != null) {
                System.err.println(unreachable);
                return 2;
            }
            for (String workload : options.workloads) {
                long start = System.nanoTime();
                System.err.println("Running " + workload + " ...");
                List<Row> results = runOne(bench, workload);
                for (Row row : results) {
                    if (row.seconds == 0) {
                        row.seconds = (System.nanoTime() - start) / 1e9;
                    }
                    System.err.printf(Locale.ROOT, "  %s %s in %.1f s%n", row.workload, row.status, row.seconds);
                }
                rows.addAll(results);
            }
        }
        compareWithBaseline(rows);
        System.out.printf(Locale.ROOT, "Targets %s (emits to the first), Redis %s, scale %s, %d processors%n%n",
                String.join(",", options.targets.stream().map(Target::toString).toList()), options.redis,
                options.scale, Runtime.getRuntime().availableProcessors());
        Table.print(System.out, rows);
        if (options.json != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("started", started.toString());
            run.put("targets", options.targets.stream().map(Target::toString).toList());
            run.put("redis", options.redis.toString());
            run.put("scale", options.scale);
            run.put("processors", Runtime.getRuntime().availableProcessors());
            Table.writeJson(options.json, run, rows);
            System.out.println("Results written to " + options.json);
        }
        boolean failed = rows.stream().anyMatch(row -> row.status == Row.Status.FAIL
                || row.status == Row.Status.TIMEOUT || row.status == Row.Status.ERROR);
        return failed ? 1 : 0;
    }

    private static List<Row> runOne(Bench bench, String workload) {
        try {
            return switch (workload) {
                case "W1" -> List.of(ProbeWorkload.run(bench, "W1", (int) bench.scaled(100), Duration.ofSeconds(60)));
                case "W2" -> List.of(Workloads.sequential(bench, "W2", (int) bench.scaled(1000), 1, 5000, 0, true,
                        Duration.ofSeconds(120)));
                case "W3" -> List.of(
                        Workloads.sequential(bench, "W3", (int) bench.scaled(20_000), 100, 100, 0, false,
                                Duration.ofSeconds(300)),
                        pacedW3(bench));
                case "W4" -> ScaleWorkloads.fanOut(bench);
                case "W5" -> List.of(ScaleWorkloads.manyChannels(bench));
                case "W6" -> List.of(ScaleWorkloads.reconnectStorm(bench));
                case "W7" -> List.of(IdleHeapWorkload.run(bench, bench.options.idleSubscribers,
                        bench.options.servicePid));
                case "BASELINE" -> List.of(RedisBaseline.run(bench), HttpFloor.run(bench));
                default -> throw new IllegalArgumentException("workload " + workload + " is unknown");
            };
        } catch (Bench.TimeoutFailure e) {
            Row row = new Row(workload);
            row.status = Row.Status.TIMEOUT;
            row.notes.add(e.getMessage());
            return List.of(row);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + workload, e);
        } catch (Exception e) {
            Row row = new Row(workload);
            row.status = Row.Status.ERROR;
            row.notes.add(e.getMessage() == null ? e.toString() : e.getMessage());
            return List.of(row);
        }
    }

    /** W3's paced variant: 1,000 events/s for 5 s to one subscriber, with a p99 target of 5 ms. */
    private static Row pacedW3(Bench bench) throws Bench.TimeoutFailure, InterruptedException {
        Row row = Workloads.fanOut(bench, "W3-paced", 1, 1000, Math.max(1000, bench.scaled(5_000)), 100);
        row.notes.add(row.p99 < 5
                ? "p99 met the 5 ms target"
                : String.format(Locale.ROOT, "p99 %.2f ms missed the 5 ms target", row.p99));
        return row;
    }

    private static void compareWithBaseline(List<Row> rows) {
        Row w3 = rows.stream().filter(row -> "W3".equals(row.workload)).findFirst().orElse(null);
        Row baseline = rows.stream().filter(row -> "baseline".equals(row.workload)).findFirst().orElse(null);
        if (w3 == null || baseline == null || baseline.emitRate <= 0) {
            return;
        }
        String ratio = String.format(Locale.ROOT, "W3 sequential emits reach %.0f%% of the baseline's %.0f "
                + "append calls/s (%.0f emits/s)", 100 * w3.emitRate / baseline.emitRate, baseline.emitRate,
                w3.emitRate);
        w3.notes.add(ratio);
        baseline.notes.add(ratio);
        Row floor = rows.stream().filter(row -> "http-floor".equals(row.workload)).findFirst().orElse(null);
        if (floor != null && floor.emitRate > 0) {
            w3.notes.add(String.format(Locale.ROOT, "W3 sequential emits reach %.0f%% of the HTTP floor's %.0f "
                    + "requests/s", 100 * w3.emitRate / floor.emitRate, floor.emitRate));
        }
    }

    /** Returns a message naming the first target whose readiness check fails, or {@code null} when all respond. */
    private static String checkTargets(Bench bench) {
        for (Target target : bench.targets()) {
            RequestOptions request = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setHost(target.host())
                    .setPort(target.port())
                    .setURI("/q/health/ready");
            try {
                int status = Bench.await(bench.emits.request(request)
                        .compose(sent -> sent.send())
                        .map(response -> response.statusCode()), Duration.ofSeconds(10), "readiness of " + target);
                if (status != 200) {
                    return "Target " + target + " is not ready: GET /q/health/ready returned " + status
                            + ". Check that it is running and reaches its Redis.";
                }
            } catch (Exception e) {
                return "Target " + target + " is not reachable: " + e.getMessage()
                        + ". Start the instance or pass its address with --target.";
            }
        }
        return null;
    }
}
