package dev.orderly.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W7 idle subscribers: opens many SSE subscribers that receive nothing and reports the service's heap per
 * subscriber. The heap is read with {@code jcmd <pid> GC.heap_info} right after {@code jcmd <pid> GC.run}, before
 * the subscribers connect and while they are all connected, so {@code --service-pid} must name the process of the
 * single target, started by the person running the benchmark on this machine.
 */
final class IdleHeapWorkload {

    /** Channels the subscribers are spread over, so Redis has more than one subscription. */
    private static final int CHANNELS = 100;
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private IdleHeapWorkload() {
    }

    static Row run(Bench bench, int subscribers, long servicePid) throws Bench.TimeoutFailure, InterruptedException {
        Row row = new Row("W7");
        row.subscribers = subscribers;
        if (servicePid <= 0) {
            row.status = Row.Status.INFO;
            row.notes.add("skipped: pass --service-pid with the PID of the single target to measure its heap");
            return row;
        }
        List<String> channels = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            channels.add(bench.channel("W7-" + (i % CHANNELS)));
        }
        long before = heapUsedAfterGc(servicePid);
        long started = System.nanoTime();
        try (SubscriberGroup group = new SubscriberGroup(bench, channels, null)) {
            group.connectAll(Duration.ofSeconds(180), 500);
            row.seconds = (System.nanoTime() - started) / 1e9;
            long during = heapUsedAfterGc(servicePid);
            double perSubscriber = (double) (during - before) / subscribers;
            row.status = Row.Status.INFO;
            row.notes.add(String.format(java.util.Locale.ROOT, "heap used after a full GC: %.1f MB before, %.1f MB with "
                    + "%d idle subscribers on %d channels: %.0f bytes per subscriber; %d subscribers would take %.0f MB",
                    before / 1e6, during / 1e6, subscribers, CHANNELS, perSubscriber, 10_000, perSubscriber * 10_000 / 1e6));
        }
        return row;
    }

    /** Runs a full GC in the service and returns its heap use in bytes. */
    private static long heapUsedAfterGc(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap use: " + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + command + " timed out after 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd could not run; it ships with the JDK", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }
}
