package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Resume positions that are malformed or out of range get a clear 400 or reset, never a 5xx or a silent restart. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ResumePositionTest extends SubscriberTestBase {

    @ParameterizedTest
    // HTTP strips leading and trailing blanks from header values, so only inner ones can be tested here.
    @ValueSource(strings = { "garbage", "-1", "9223372036854775808", "18446744073709551616",
        "9f2c4e1a7b3d5c60--5", "4 0", "9f2c4e1a7b3d5c60 -1" })
    void malformedLastEventIdIsRejected(String lastEventId) {
        JsonPath problem = SseClient.rejection(subscribeUri("positions:" + Runs.newChannelId()), lastEventId);

        assertEquals("Last-Event-ID", problem.getString("field"));
        assertTrue(problem.getString("detail").contains("not a valid resume position"), problem.getString("detail"));
    }

    @Test
    void nulInLastEventIdIsRejected() {
        // The HTTP server rejects a NUL byte in a header before the request reaches Orderly, with a status only.
        SseClient.rejection(subscribeUri("positions:" + Runs.newChannelId()), "9f2c4e1a7b3d5c60-1\u0000");
    }

    @ParameterizedTest
    @ValueSource(strings = { "%00", "1%002", "-0", "1e3", "0x10" })
    void malformedSinceIsRejected(String since) {
        JsonPath problem = SseClient.rejection(subscribeUri("positions:" + Runs.newChannelId(), "since=" + since));

        assertEquals("since", problem.getString("field"));
    }

    @Test
    void sinceGivenTwiceIsRejected() {
        JsonPath problem = SseClient.rejection(subscribeUri("positions:" + Runs.newChannelId(), "since=1", "since=2"));

        assertEquals("since", problem.getString("field"));
    }

    @Test
    void positionFarAheadGivesReset() {
        String channel = "positions:" + Runs.newChannelId();
        Runs.emitContent(channel, 1, "one");
        Runs.emitContent(channel, 2, "two");

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel),
                "0-999999999999999999")) {
            List<SseClient.Frame> data = client.awaitData(2, Duration.ofSeconds(10));

            assertEquals(List.of(1L, 2L), Frames.offsets(data));
            assertEquals("ahead-of-history", Frames.json(client.named("reset").get(0)).get("reason").asText());
        }
    }
}
