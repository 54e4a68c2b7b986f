package dev.orderly.testrun;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.channel.AppendResult;
import dev.orderly.channel.ChannelLog;
import dev.orderly.channel.EventTypes;
import dev.orderly.channel.GenerateEvent;
import dev.orderly.error.InvalidRequestException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The reproduction run: emits {@code count} {@code content} events and one {@code complete} event on one
 * channel, strictly one after another. Each emit is a Redis round trip that must succeed before the delay before
 * the next one starts, so the run's order is the emit order. Nothing blocks a thread: the delays use Mutiny's
 * delay operator.
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

    /**
     * Records the run, then emits its events.
     *
     * @throws InvalidRequestException when {@code minSize} is greater than {@code maxSize}; nothing is emitted
     */
    public Uni<TestRunResult> run(TestRunRequest request) {
        if (request.minSize() > request.maxSize()) {
            throw new InvalidRequestException("minSize", request.minSize(), "minSize must not be greater than maxSize ("
                    + request.maxSize() + ")");
        }
        String runId = newRunId();
        List<String> contents = randomContents(request.count(), request.minSize(), request.maxSize());
        RunRecord record = record(runId, request, contents);
        Duration delay = Duration.ofMillis(request.delayMs());
        Log.debugf("Run %s starts on channel %s: %d events, %d ms apart", runId, request.channel(),
                request.count(), request.delayMs());
        return records.save(record)
                .chain(() -> emitAll(request.channel(), runId, contents, delay))
                .map(results -> result(record, results));
    }

    private Uni<List<AppendResult>> emitAll(String channel, String runId, List<String> contents, Duration delay) {
        int events = contents.size() + 1;
        return Multi.createFrom().range(1, events + 1)
                .onItem().transformToUniAndConcatenate(sequenceId -> emitAfterDelay(channel, runId, contents,
                        sequenceId, delay))
                .collect().asList();
    }

    private Uni<AppendResult> emitAfterDelay(String channel, String runId, List<String> contents, int sequenceId,
            Duration delay) {
        Uni<Integer> start = Uni.createFrom().item(sequenceId);
        if (sequenceId > 1 && !delay.isZero()) {
            start = start.onItem().delayIt().by(delay);
        }
        return start.chain(id -> emit(channel, runId, contents, id));
    }

    private Uni<AppendResult> emit(String channel, String runId, List<String> contents, int sequenceId) {
        boolean complete = sequenceId > contents.size();
        GenerateEvent event = new GenerateEvent(
                complete ? GenerateEvent.Type.COMPLETE : GenerateEvent.Type.CONTENT,
                new GenerateEvent.Data(runId, (long) sequenceId, complete ? null : contents.get(sequenceId - 1)));
        return log.append(channel, GenerateEvent.NAME, types.serialize(event), null);
    }

    private static RunRecord record(String runId, TestRunRequest request, List<String> contents) {
        List<Integer> sizes = new ArrayList<>(contents.size() + 1);
        List<String> hashes = new ArrayList<>(contents.size() + 1);
        for (String content : contents) {
            sizes.add(content.length());
            hashes.add(PayloadHash.of(content));
        }
        sizes.add(0);
        hashes.add(PayloadHash.of(null));
        return new RunRecord(runId, request.channel(), request.count(), sizes, hashes);
    }

    private static TestRunResult result(RunRecord record, List<AppendResult> results) {
        String epoch = results.get(results.size() - 1).epoch();
        List<Long> offsets = results.stream().map(AppendResult::offset).toList();
        return new TestRunResult(record.runId(), record.channel(), epoch, record.count(),
                record.sizes().subList(0, record.count()), offsets);
    }

    private static List<String> randomContents(int count, int minSize, int maxSize) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> contents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char[] content = new char[random.nextInt(minSize, maxSize + 1)];
            for (int j = 0; j < content.length; j++) {
                content[j] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            contents.add(new String(content));
        }
        return contents;
    }

    private static String newRunId() {
        byte[] bytes = new byte[8];
        RUN_IDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
