package dev.orderly.testrun;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.channel.AppendResult;
import dev.orderly.channel.ChannelLog;
import dev.orderly.channel.EventTypes;
import dev.orderly.channel.GenerateEvent;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.RunInterruptedException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The reproduction run: emits {@code count} {@code content} events and one {@code complete} event on one
 * channel, strictly one after another. Each emit is a Redis round trip that must succeed before the delay before
 * the next one starts, so the run's order is the emit order. Nothing blocks a thread, because the delays use
 * Mutiny's delay operator. Payloads are generated one at a time on a worker thread, so a run of 10,000 events of
 * 100,000 characters neither keeps them all in memory nor stalls an event loop.
 *
 * <p>The run's record (sizes and payload checksums) is saved before the {@code complete} event is emitted, so a
 * client that has received {@code complete} can always get its report.
 */
@ApplicationScoped
public class TestRunService {

    private static final char[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ".toCharArray();
    private static final SecureRandom RUN_IDS = new SecureRandom();

    private final ChannelLog log;
    private final EventTypes types;
    private final RunRecords records;

    @Inject
    public TestRunService(ChannelLog log, EventTypes types, RunRecords records) {
        this.log = log;
        this.types = types;
        this.records = records;
    }

    /** The sizes, checksums and positions of the events sent so far, touched only by the run's sequential chain. */
    private static final class Progress {
        final List<Integer> sizes = new ArrayList<>();
        final List<String> hashes = new ArrayList<>();
        final List<AppendResult> results = new ArrayList<>();
    }

    /**
     * Emits the run's events and records them.
     *
     * @throws InvalidRequestException when {@code minSize} is greater than {@code maxSize}; nothing is emitted
     */
    public Uni<TestRunResult> run(TestRunRequest request) {
        request.checkSizes();
        String runId = newRunId();
        long seed = ThreadLocalRandom.current().nextLong();
        Duration delay = Duration.ofMillis(request.delayMs());
        Progress progress = new Progress();
        Log.debugf("Run %s starts on channel %s: %d events, %d ms apart", runId, request.channel(),
                request.count(), request.delayMs());
        return Multi.createFrom().range(1, request.count() + 2)
                .onItem().transformToUniAndConcatenate(sequenceId -> afterDelay(sequenceId, delay)
                        .chain(() -> emit(request, runId, seed, sequenceId, progress)))
                .collect().last()
                .onFailure().transform(failure -> new RunInterruptedException(runId, request.count() + 1,
                        progress.results.stream().map(AppendResult::offset).toList(), failure))
                .map(ignored -> result(runId, request, progress));
    }

    private static Uni<Void> afterDelay(int sequenceId, Duration delay) {
        Uni<Void> start = Uni.createFrom().voidItem();
        if (sequenceId > 1 && !delay.isZero()) {
            start = start.onItem().delayIt().by(delay);
        }
        return start;
    }

    private Uni<AppendResult> emit(TestRunRequest request, String runId, long seed, int sequenceId,
            Progress progress) {
        boolean complete = sequenceId > request.count();
        Uni<GenerateEvent> event = complete
                ? records.save(record(runId, request, progress))
                        .map(ignored -> new GenerateEvent(GenerateEvent.Type.COMPLETE,
                                new GenerateEvent.Data(runId, (long) sequenceId, null)))
                : Uni.createFrom().item(() -> content(request, seed, sequenceId, progress))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(content -> new GenerateEvent(GenerateEvent.Type.CONTENT,
                                new GenerateEvent.Data(runId, (long) sequenceId, content)));
        return event
                .chain(typed -> log.append(request.channel(), GenerateEvent.NAME, types.serialize(typed), null))
                .invoke(progress.results::add);
    }

    /** Generates one payload of random size and records its size and checksum. */
    private static String content(TestRunRequest request, long seed, int sequenceId, Progress progress) {
        SplittableRandom random = new SplittableRandom(seed + sequenceId);
        char[] content = new char[random.nextInt(request.minSize(), request.maxSize() + 1)];
        for (int i = 0; i < content.length; i++) {
            content[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        String text = new String(content);
        progress.sizes.add(text.length());
        progress.hashes.add(PayloadHash.of(text));
        return text;
    }

    private static RunRecord record(String runId, TestRunRequest request, Progress progress) {
        List<Integer> sizes = new ArrayList<>(progress.sizes);
        List<String> hashes = new ArrayList<>(progress.hashes);
        sizes.add(0);
        hashes.add(PayloadHash.of(null));
        return new RunRecord(runId, request.channel(), request.count(), sizes, hashes);
    }

    private static TestRunResult result(String runId, TestRunRequest request, Progress progress) {
        List<AppendResult> results = progress.results;
        String epoch = results.get(results.size() - 1).epoch();
        List<Long> offsets = results.stream().map(AppendResult::offset).toList();
        return new TestRunResult(runId, request.channel(), epoch, request.count(), List.copyOf(progress.sizes),
                offsets);
    }

    private static String newRunId() {
        byte[] bytes = new byte[8];
        RUN_IDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
