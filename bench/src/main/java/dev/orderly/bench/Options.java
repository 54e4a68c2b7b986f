package dev.orderly.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line options. Each option may repeat, and the last value wins except for {@code --target}. */
final class Options {

    static final List<String> WORKLOADS = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "BASELINE");

    static final String USAGE = """
            Usage: bench/run [options]

            Runs Orderly's delivery benchmark against instances on 127.0.0.1 and checks every delivery for loss,
            duplication and order.

              --target URL        Orderly instance, http://127.0.0.1:<port>. Repeat it or separate with commas:
                                  subscribers are spread round-robin over the targets, emits go to the first.
                                  Default http://127.0.0.1:8080.
              --redis URI         Redis of the instances, for the baseline. Default redis://127.0.0.1:6379.
              --workloads LIST    Comma-separated subset of W1,W2,W3,W4,W5,W6,W7,baseline. Default all.
              --json FILE         Also write the results as JSON to FILE.
              --scale FACTOR      Multiplies event counts and durations, for example 0.1 for a quick run.
                                  Default 1.
              --subscribers N     Subscribers of W4 and W6. Default 500.
              --channels N        Channels (one subscriber each) of W5. Default 1000.
              --idle N            Idle subscribers of W7. Default 10000.
              --service-pid PID   Process of the single target, for W7's heap readings with jcmd.
              --append-script F   The service's append script, for the baseline.
                                  Default src/main/resources/lua/append.lua.
              --token-secret S    The instances' ORDERLY_AUTH_TOKEN_SECRET. Every subscription, emit and probe
                                  then sends a token allowing subscribe and emit on every channel. Default none:
                                  the instances must run with ORDERLY_AUTH_ENABLED=false.
              --help              Print this text.
            """;

    final List<Target> targets = new ArrayList<>();
    Target redis = Target.parse("--redis", "redis://127.0.0.1:6379", "redis");
    Set<String> workloads = new LinkedHashSet<>(WORKLOADS);
    Path json;
    double scale = 1.0;
    int subscribers = 500;
    int channels = 1000;
    int idleSubscribers = 10_000;
    long servicePid;
    Path appendScript = Path.of("src/main/resources/lua/append.lua");
    String tokenSecret;
    boolean help;

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException naming the invalid option and value
     */
    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if ("--help".equals(name) || "-h".equals(name)) {
                options.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " is missing its value; see --help");
            }
            String value = args[++i];
            switch (name) {
                case "--target" -> {
                    for (String part : value.split(",")) {
                        options.targets.add(Target.parse(name, part, "http"));
                    }
                }
                case "--redis" -> options.redis = Target.parse(name, value, "redis");
                case "--workloads" -> options.workloads = parseWorkloads(value);
                case "--json" -> options.json = Path.of(value);
                case "--scale" -> options.scale = positiveDouble(name, value);
                case "--subscribers" -> options.subscribers = (int) positiveDouble(name, value);
                case "--channels" -> options.channels = (int) positiveDouble(name, value);
                case "--idle" -> options.idleSubscribers = (int) positiveDouble(name, value);
                case "--service-pid" -> options.servicePid = (long) positiveDouble(name, value);
                case "--append-script" -> options.appendScript = Path.of(value);
                case "--token-secret" -> options.tokenSecret = value;
                default -> throw new IllegalArgumentException("unknown option " + name + "; see --help");
            }
        }
        if (options.targets.isEmpty()) {
            options.targets.add(Target.parse("--target", "http://127.0.0.1:8080", "http"));
        }
        return options;
    }

    private static Set<String> parseWorkloads(String value) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if ("ALL".equals(name)) {
                chosen.addAll(WORKLOADS);
            } else if (WORKLOADS.contains(name)) {
                chosen.add(name);
            } else {
                throw new IllegalArgumentException("workload " + part + " is unknown; choose from "
                        + String.join(",", WORKLOADS));
            }
        }
        return chosen;
    }

    private static double positiveDouble(String name, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " " + value + " is not a number");
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new IllegalArgumentException(name + " " + value + " must be greater than 0");
        }
        return parsed;
    }
}
