package dev.orderly.delivery;

import java.util.HashSet;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import dev.orderly.channel.ChannelName;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.Problem;
import io.smallrye.mutiny.Multi;

/** {@code GET /api/realtime}: the SSE endpoint browsers subscribe to with {@code EventSource}. */
@Path("/api/realtime")
@Tag(name = "Subscribe", description = "Receive a channel's events over Server-Sent Events")
public class SubscribeResource {

    private static final String FRAMES = """
            Data frames are unnamed and carry `id: <cursor>` and one line of JSON:
            `{"channel":"generate:3f2c9a1b","epoch":"9f2c4e1a7b3d5c60","offset":41,"event":"generate.event",\
            "data":{...},"emittedAt":1764806400000}`.
            Named control frames: `ready` (Redis confirmed the subscription; everything emitted from now on arrives),
            `gap` (offsets no longer in history), `reset` (the channel's history restarted; delivery starts over from
            its first retained event), `error` (the server closes the connection; resume with its cursor).
            Comment lines `: ping` are heartbeats.""";

    private final SubscriptionContext services;
    private final OrderlyConfig config;

    @Inject
    public SubscribeResource(SubscriptionContext services, OrderlyConfig config) {
        this.services = services;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Operation(summary = "Subscribe to channels",
            description = "Streams every event of the channels once, in offset order per channel. " + FRAMES)
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = String.class,
                            example = "event: ready\nid: 9f2c4e1a7b3d5c60-0\nretry: 1000\n"
                                    + "data: {\"channels\":[...],\"cursor\":\"9f2c4e1a7b3d5c60-0\"}\n\n")))
    @APIResponse(responseCode = "400", description = "Invalid channel name, too many channels, or an invalid "
            + "resume position",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> subscribe(
            @Parameter(description = "Channel to receive; repeat the parameter for several channels",
                    required = true, example = "generate:3f2c9a1b")
            @RestQuery("channel") List<String> channels,
            @Parameter(description = "Resume position for the first connection: a cursor from an earlier frame's "
                    + "id, or a bare offset such as 40 (delivery starts after it)", example = "40")
            @RestQuery("since") List<String> since,
            @Parameter(in = ParameterIn.HEADER, name = "Last-Event-ID",
                    description = "Sent by the browser when it reconnects; takes precedence over since")
            @RestHeader("Last-Event-ID") String lastEventId) {
        List<String> names = checkChannels(channels);
        Cursor resumeFrom = resumePosition(lastEventId, since, names.size());
        Subscription subscription = new Subscription(services.registry().nextId(), services, names, resumeFrom);
        return subscription.frames();
    }

    private List<String> checkChannels(List<String> channels) {
        if (channels == null || channels.isEmpty()) {
            throw new InvalidRequestException("channel", null,
                    "channel is missing: pass at least one channel query parameter");
        }
        int max = config.delivery().maxChannels();
        if (channels.size() > max) {
            throw new InvalidRequestException("channel", channels.size(), "channel is repeated " + channels.size()
                    + " times, the maximum per connection is " + max);
        }
        HashSet<String> seen = new HashSet<>();
        for (String channel : channels) {
            ChannelName.require("channel", channel);
            if (!seen.add(channel)) {
                throw new InvalidRequestException("channel", channel, "channel " + channel + " is listed twice");
            }
        }
        return List.copyOf(channels);
    }

    private static Cursor resumePosition(String lastEventId, List<String> since, int channels) {
        // A present but blank position is an error rather than "no position", which would skip history silently.
        if (lastEventId != null) {
            return Cursor.parse("Last-Event-ID", lastEventId, channels);
        }
        if (since == null || since.isEmpty()) {
            return null;
        }
        if (since.size() > 1) {
            throw new InvalidRequestException("since", String.join(",", since),
                    "since is given " + since.size() + " times; give one resume position");
        }
        return Cursor.parse("since", since.get(0), channels);
    }
}
