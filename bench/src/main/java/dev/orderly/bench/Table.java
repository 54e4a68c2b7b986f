package dev.orderly.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints result rows as a plain table and writes them as JSON. */
final class Table {

    private static final String FORMAT =
            "%-16s %-7s %8s %5s %10s %6s %5s %5s %5s %5s %9s %10s %8s %8s %8s %7s%n";

    private Table() {
    }

    static void print(PrintStream out, List<Row> rows) {
        out.printf(Locale.ROOT, FORMAT, "workload", "status", "events", "subs", "deliveries", "lost", "dup",
                "reord", "bad", "ctrl", "emits/s", "deliv/s", "p50 ms", "p99 ms", "max ms", "time s");
        for (Row row : rows) {
            out.printf(Locale.ROOT, FORMAT, row.workload, row.status, row.events, row.subscribers, row.deliveries,
                    row.lost, row.duplicated, row.reordered, row.corrupt, row.controlFrames, number(row.emitRate),
                    number(row.deliveryRate), millis(row.p50), millis(row.p99), millis(row.max),
                    String.format(Locale.ROOT, "%.1f", row.seconds));
        }
        out.println();
        for (Row row : rows) {
            for (String note : row.notes) {
                out.println(row.workload + ": " + note);
            }
        }
    }

    static void writeJson(Path file, Map<String, Object> run, List<Row> rows) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>(run);
        document.put("results", rows.stream().map(Table::toMap).toList());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(document));
    }

    private static Map<String, Object> toMap(Row row) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("workload", row.workload);
        map.put("status", row.status.name());
        map.put("targets", row.targets);
        map.put("events", row.events);
        map.put("subscribers", row.subscribers);
        map.put("deliveries", row.deliveries);
        map.put("lost", row.lost);
        map.put("duplicated", row.duplicated);
        map.put("reordered", row.reordered);
        map.put("corrupt", row.corrupt);
        map.put("controlFrames", row.controlFrames);
        map.put("emitFailures", row.emitFailures);
        map.put("emitsPerSecond", finite(row.emitRate));
        map.put("deliveriesPerSecond", finite(row.deliveryRate));
        map.put("latencyP50Ms", finite(row.p50));
        map.put("latencyP99Ms", finite(row.p99));
        map.put("latencyMaxMs", finite(row.max));
        map.put("durationSeconds", finite(row.seconds));
        map.put("notes", row.notes);
        return map;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String number(double value) {
        return value <= 0 || !Double.isFinite(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String millis(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "-";
    }
}
