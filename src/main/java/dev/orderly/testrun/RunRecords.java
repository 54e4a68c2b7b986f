package dev.orderly.testrun;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.RedisUnavailableException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

/** Stores run records in Redis as JSON under {@code orderly:run:<runId>}, expiring after the configured TTL. */
@ApplicationScoped
public class RunRecords {

    private final ReactiveValueCommands<String, RunRecord> values;
    private final OrderlyConfig config;

    @Inject
    public RunRecords(ReactiveRedisDataSource redis, OrderlyConfig config) {
        this.values = redis.value(RunRecord.class);
        this.config = config;
    }

    public Uni<Void> save(RunRecord record) {
        return values.set(key(record.runId()), record, new SetArgs().ex(config.testRun().recordTtl()))
                .onFailure(RedisUnavailableException::isUnreachable)
                .transform(failure -> new RedisUnavailableException("Saving run " + record.runId(), failure));
    }

    /** Returns the record, or {@code null} when it never existed or has expired. */
    public Uni<RunRecord> find(String runId) {
        return values.get(key(runId))
                .onFailure(RedisUnavailableException::isUnreachable)
                .transform(failure -> new RedisUnavailableException("Reading run " + runId, failure));
    }

    private static String key(String runId) {
        return "orderly:run:" + runId;
    }
}
