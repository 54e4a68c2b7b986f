package dev.orderly.probe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.access.AccessGrant;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.report.Arrival;
import dev.orderly.report.DeliveryReport;
import dev.orderly.report.ReportCalculator;
import dev.orderly.testrun.RunRecord;
import dev.orderly.testrun.RunRecords;
import dev.orderly.testrun.TestRunRequest;
import dev.orderly.testrun.TestRunResult;
import dev.orderly.testrun.TestRunService;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The probe: the reproduction run delivered to a subscriber inside this instance, over real HTTP and SSE. It
 * subscribes to a fresh channel through {@link ProbeSubscriber}, waits for {@code ready}, starts the run with
 * {@link TestRunService}, and reports what arrived with {@link ReportCalculator} and the latency of each event.
 *
 * <p>Guarantees:
 * <ul>
 * <li>The run starts only after {@code ready}, so by the subscription contract every event of the run is due to
 * arrive, and a missing one is a delivery failure, not a race in the probe.</li>
 * <li>A probe waits at most {@link #READY_TIMEOUT} for {@code ready}, then at most {@link #waitLimit} for the run
 * and its {@code complete} event: the run's expected duration, capped at {@link #MAX_RUN_DURATION}, plus a margin.
 * A run still emitting at that point is cancelled and the probe fails with 504. A run that finished without its
 * {@code complete} event arriving in time gives a report that lists the events that did not arrive, with
 * {@code timedOut} set. Reading the run's record from Redis for the report comes on top of these waits.</li>
 * <li>The subscription is closed when the probe ends in any way, including a failure and cancellation of the
 * returned {@code Uni}, so the server releases it.</li>
 * </ul>
 */
@ApplicationScoped
public class ProbeService {

    /** Maximum wait for the subscription's {@code ready} frame. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    /** Maximum wait for a run's events, before the margin. A run whose delays alone take longer is rejected. */
    static final Duration MAX_RUN_DURATION = Duration.ofMinutes(5);
    /** Time allowed per event on top of its delay: one emit round trip to Redis and its delivery. */
    static final Duration PER_EVENT_ALLOWANCE = Duration.ofMillis(10);
    /** Extra wait beyond the position check interval, for the check's read and the last frame's delivery. */
    static final Duration MARGIN_BEYOND_POSITION_CHECK = Duration.ofSeconds(5);

    private static final SecureRandom CHANNEL_IDS = new SecureRandom();

    private final TestRunService runs;
    private final RunRecords records;
    private final Validator validator;
    private final Vertx vertx;
    private final HttpServer httpServer;
    private final ObjectMapper mapper;
    private final Duration margin;
    private final String subscribePath;

    @Inject
    public ProbeService(TestRunService runs, RunRecords records, Validator validator, Vertx vertx,
            HttpServer httpServer, ObjectMapper mapper, OrderlyConfig config,
            @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath,
            @ConfigProperty(name = "quarkus.rest.path", defaultValue = "/") String restPath) {
        this.runs = runs;
        this.records = records;
        this.validator = validator;
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.mapper = mapper;
        // A lost last event is found by the position check, so waiting less than its interval would report it
        // missing although delivery would have recovered it.
        this.margin = config.delivery().positionCheck().plus(MARGIN_BEYOND_POSITION_CHECK);
        this.subscribePath = joinPaths(rootPath, restPath) + "api/realtime";
    }

    /**
     * Runs one probe.
     *
     * @param grantForChannel called with the probe's channel once the request is valid. It throws when the caller
     *        may not use the channel, and otherwise returns the caller's grant. The probe's own subscription sends
     *        that grant's token.
     * @throws InvalidRequestException 403 when the caller's token expires before the probe may end, which would
     *         close the probe's subscription midway
     * @throws ConstraintViolationException when a parameter is outside the limits of {@link TestRunRequest}
     * @throws InvalidRequestException when {@code minSize} is greater than {@code maxSize}, or the run's delays
     *         alone exceed {@link #MAX_RUN_DURATION}
     */
    public Uni<ProbeResult> probe(ProbeRequest request, Function<String, AccessGrant> grantForChannel) {
        TestRunRequest run = request.toRunRequest(newChannelId());
        check(run);
        AccessGrant grant = grantForChannel.apply(run.channel());
        int port = loopbackPort();
        Duration waitLimit = waitLimit(run, margin);
        checkTokenLasts(grant, waitLimit);
        String token = grant.token();
        long startedAt = System.nanoTime();
        String path = subscribePath + "?channel=" + URLEncoder.encode(run.channel(), StandardCharsets.UTF_8);
        ProbeSubscriber subscriber = ProbeSubscriber.open(vertx, port, path, token, run.channel(), run.count() + 1L,
                3 * (run.count() + 1), mapper);
        Log.debugf("Probe on channel %s starts: %d events, %d ms apart, waiting at most %d ms", run.channel(),
                run.count(), run.delayMs(), waitLimit.toMillis());
        return subscriber.ready()
                .ifNoItem().after(READY_TIMEOUT).failWith(() -> notReady(run.channel()))
                .chain(() -> runAndCollect(run, subscriber, waitLimit))
                .chain(collected -> report(run, subscriber, collected, startedAt))
                .onTermination().invoke(subscriber::close);
    }

    /** The run's result, and whether the wait limit passed before its {@code complete} event arrived. */
    private record Collected(TestRunResult run, boolean timedOut) {
    }

    private Uni<Collected> runAndCollect(TestRunRequest run, ProbeSubscriber subscriber, Duration waitLimit) {
        long deadline = System.nanoTime() + waitLimit.toNanos();
        return runs.run(run)
                .ifNoItem().after(waitLimit).failWith(() -> runTimedOut(run, subscriber, waitLimit))
                .chain(result -> awaitComplete(result, subscriber, deadline));
    }

    private static Uni<Collected> awaitComplete(TestRunResult result, ProbeSubscriber subscriber, long deadline) {
        // A stream that ended early is not a timeout. Its notices give the reason, and the report lists the
        // missing events.
        return subscriber.finished()
                .ifNoItem().after(remaining(deadline)).recoverWithItem(() -> null)
                .map(ending -> new Collected(result, ending == null));
    }

    private Uni<ProbeResult> report(TestRunRequest run, ProbeSubscriber subscriber, Collected collected,
            long startedAt) {
        subscriber.close();
        String runId = collected.run().runId();
        return records.find(runId)
                .map(record -> toResult(run, subscriber, collected, requireRecord(record, runId), startedAt));
    }

    private static ProbeResult toResult(TestRunRequest run, ProbeSubscriber subscriber, Collected collected,
            RunRecord record, long startedAt) {
        List<ProbeSubscriber.Received> received = subscriber.received();
        List<Arrival> arrivals = received.stream().map(ProbeSubscriber.Received::arrival).toList();
        List<Long> latencies = received.stream().map(ProbeSubscriber.Received::latencyMillis).toList();
        DeliveryReport report = ReportCalculator.compute(record, arrivals);
        long durationMs = Duration.ofNanos(System.nanoTime() - startedAt).toMillis();
        ProbeResult result = new ProbeResult(record.runId(), run.channel(), report, Latency.of(latencies),
                collected.timedOut(), subscriber.notices(), durationMs);
        logResult(result);
        return result;
    }

    private void check(TestRunRequest run) {
        Set<ConstraintViolation<TestRunRequest>> violations = validator.validate(run);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        run.checkSizes();
        long delays = (long) run.count() * run.delayMs();
        if (delays > MAX_RUN_DURATION.toMillis()) {
            throw new InvalidRequestException("delayMs", run.delayMs(), "delayMs " + run.delayMs() + " with count "
                    + run.count() + " makes the run pause " + delays + " ms, but a probe allows at most "
                    + MAX_RUN_DURATION.toMillis() + " ms: lower count or delayMs");
        }
    }

    /**
     * Returns how long a probe waits for its run and the {@code complete} event once the subscription is ready:
     * the run's expected duration, capped at {@link #MAX_RUN_DURATION}, plus {@code margin}.
     */
    static Duration waitLimit(TestRunRequest run, Duration margin) {
        Duration expected = PER_EVENT_ALLOWANCE.plusMillis(run.delayMs()).multipliedBy(run.count() + 1L);
        Duration capped = expected.compareTo(MAX_RUN_DURATION) > 0 ? MAX_RUN_DURATION : expected;
        return capped.plus(margin);
    }

    private int loopbackPort() {
        int port = httpServer.getPort();
        if (port <= 0) {
            throw new ServiceUnavailableException("The probe needs the plain HTTP listener on 127.0.0.1, which "
                    + "has not started or is disabled (quarkus.http.insecure-requests)");
        }
        return port;
    }

    private static RunRecord requireRecord(RunRecord record, String runId) {
        if (record == null) {
            throw new IllegalStateException("Run " + runId + " finished, but its record is not in Redis");
        }
        return record;
    }

    private static ServiceUnavailableException notReady(String channel) {
        Log.warnf("Probe subscription to %s was not confirmed within %d s", channel, READY_TIMEOUT.toSeconds());
        return new ServiceUnavailableException("The probe's subscription to " + channel + " was not confirmed "
                + "within " + READY_TIMEOUT.toSeconds() + " s; check that Redis is available");
    }

    private static WebApplicationException runTimedOut(TestRunRequest run, ProbeSubscriber subscriber,
            Duration waitLimit) {
        int received = subscriber.received().size();
        Log.warnf("Probe run on channel %s was still emitting after %d ms, with %d of %d events received; "
                + "it was cancelled", run.channel(), waitLimit.toMillis(), received, run.count() + 1);
        return new WebApplicationException("The probe's run on " + run.channel() + " was still emitting after "
                + waitLimit.toMillis() + " ms (" + received + " of " + (run.count() + 1) + " events received), "
                + "so it was cancelled; Redis may be slow, or lower count or delayMs", 504);
    }

    private static void logResult(ProbeResult result) {
        DeliveryReport report = result.report();
        if (report.clean()) {
            Log.infof("Probe run %s on channel %s delivered %d of %d events cleanly in %d ms, latency p99 %d ms",
                    result.runId(), result.channel(), report.received(), report.expected(), result.durationMs(),
                    result.latency().p99());
        } else {
            Log.warnf("Probe run %s on channel %s was not delivered cleanly: %d of %d received, %d missing, "
                    + "%d duplicated, in order %s, %d altered, timed out %s", result.runId(), result.channel(),
                    report.received(), report.expected(), report.missingCount(), report.duplicateCount(),
                    report.inOrder(), report.payloadMismatchCount(), result.timedOut());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
    }

    /** Joins the HTTP root path and the REST path into one path that starts and ends with a slash. */
    private static String joinPaths(String rootPath, String restPath) {
        String joined = "/" + rootPath + "/" + restPath + "/";
        return joined.replaceAll("/+", "/");
    }

    private static void checkTokenLasts(AccessGrant grant, Duration waitLimit) {
        Instant latestEnd = Instant.now().plus(READY_TIMEOUT).plus(waitLimit);
        if (grant.expiresAt() != null && grant.expiresAt().isBefore(latestEnd)) {
            long missing = Duration.between(grant.expiresAt(), latestEnd).toSeconds() + 1;
            throw new InvalidRequestException(403, "Authorization", null, "the access token expires at "
                    + grant.expiresAt() + ", before this probe may end at " + latestEnd + ", which would close the "
                    + "probe's subscription midway; use a token valid for at least " + missing + " s longer");
        }
    }

    private static String newChannelId() {
        byte[] bytes = new byte[8];
        CHANNEL_IDS.nextBytes(bytes);
        return "probe-" + HexFormat.of().formatHex(bytes);
    }
}
