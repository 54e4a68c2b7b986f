package dev.orderly.delivery;

import java.util.HashSet;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.access.AccessGrant;
import dev.orderly.access.AccessGuard;
import dev.orderly.access.Permission;
import dev.orderly.channel.ChannelName;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.LimitExceededException;
import dev.orderly.error.Problem;
import dev.orderly.error.Rejections;
import dev.orderly.error.RouteProblems;
import io.quarkus.vertx.web.Route;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/realtime}: the SSE endpoint browsers subscribe to with {@code EventSource}.
 *
 * <p>A Vert.x reactive route rather than a Quarkus REST resource, so the service writes the SSE frames itself: a
 * frame shared by many subscribers is encoded once, and the frames queued for one connection go out in one write
 * (see {@link SseConnection}).
 */
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

    /** Retry-After of a connection rejected by a connection limit. */
    private static final long CONNECTION_RETRY_AFTER_SECONDS = 5;

    private final SubscriptionContext services;
    private final OrderlyConfig config;
    private final ObjectMapper mapper;
    private final Rejections rejections;
    private final AccessGuard access;

    @Inject
    public SubscribeResource(SubscriptionContext services, OrderlyConfig config, ObjectMapper mapper,
            Rejections rejections, AccessGuard access) {
        this.services = services;
        this.config = config;
        this.mapper = mapper;
        this.rejections = rejections;
        this.access = access;
    }

    @Route(path = AccessGuard.SUBSCRIBE_PATH, methods = Route.HttpMethod.GET)
    @Operation(summary = "Subscribe to channels",
            description = "Streams every event of the channels once, in offset order per channel. " + FRAMES)
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = String.class,
                            example = "event: ready\nid: 9f2c4e1a7b3d5c60-0\nretry: 1000\n"
                                    + "data: {\"channels\":[...],\"cursor\":\"9f2c4e1a7b3d5c60-0\"}\n\n")))
    @APIResponse(responseCode = "400", description = "Invalid channel name, too many channels, or an invalid "
            + "resume position",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "This instance, or this client address, has as many open "
            + "connections as it accepts; retry after the Retry-After header's seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Problem.class)))
    @Parameter(in = ParameterIn.QUERY, name = "channel",
            description = "Channel to receive; repeat the parameter for several channels",
            required = true, example = "generate:3f2c9a1b",
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
    @Parameter(in = ParameterIn.QUERY, name = "since",
            description = "Resume position for the first connection: a cursor from an earlier frame's "
                    + "id, or a bare offset such as 40 (delivery starts after it)", example = "40",
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
    @Parameter(in = ParameterIn.HEADER, name = "Last-Event-ID",
            description = "Sent by the browser when it reconnects; takes precedence over since",
            schema = @Schema(implementation = String.class))
    void subscribe(RoutingContext request) {
        List<String> channels;
        List<String> since;
        try {
            channels = request.queryParam("channel");
            since = request.queryParam("since");
        } catch (IllegalArgumentException e) {
            // Vert.x decodes the query string on first access and rejects a malformed percent-escape.
            // Neither the query string nor the decoder's message, which quotes it, is echoed or logged, because the
            // query may carry an access token.
            reject(request, new InvalidRequestException("query", null, "query string is not valid "
                    + "percent-encoding: each % must start an escape of two hexadecimal digits, such as %2F"));
            return;
        }

        List<String> names;
        Cursor resumeFrom;
        AccessGrant grant;
        try {
            names = checkChannels(channels);
            resumeFrom = resumePosition(request.request().getHeader("Last-Event-ID"), since, names.size());
            // History and live events go through the one subscription, so this check covers both.
            grant = access.require(request, Permission.SUBSCRIBE, names);
        } catch (InvalidRequestException e) {
            reject(request, e);
            return;
        }

        long id = services.registry().nextId();
        String address = clientAddress(request);
        String limit = services.registry().admit(id, address);
        if (limit != null) {
            rejections.count(limit);
            reject(request, connectionLimit(limit, address));
            return;
        }

        Subscription subscription = null;
        try {
            subscription = new Subscription(id, services, names, resumeFrom, grant.expiresAt(),
                    request.response(), Vertx.currentContext());
            subscription.open();
        } catch (RuntimeException e) {
            // The connection slot and registry entry would otherwise stay taken until the instance stops.
            if (subscription != null) {
                services.registry().remove(subscription);
            }
            services.registry().release(id);
            throw e;
        }
    }

    /** Rejects other methods on this path with 405 and the problem body, where Quarkus would send a bare 404. */
    @Route(path = AccessGuard.SUBSCRIBE_PATH, methods = { Route.HttpMethod.HEAD, Route.HttpMethod.POST,
            Route.HttpMethod.PUT, Route.HttpMethod.DELETE, Route.HttpMethod.PATCH })
    @Operation(hidden = true)
    void wrongMethod(RoutingContext request) {
        request.response().putHeader("Allow", "GET");
        String method = request.request().method().name();
        reject(request, new InvalidRequestException(405, "method", method,
                method + " is not allowed on " + AccessGuard.SUBSCRIBE_PATH + ": subscribe with GET"));
    }

    private void reject(RoutingContext request, InvalidRequestException e) {
        RouteProblems.reject(request, mapper, e);
    }

    private static String clientAddress(RoutingContext request) {
        var remote = request.request().remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : remote.host();
    }

    private LimitExceededException connectionLimit(String limit, String address) {
        if (Rejections.CONNECTIONS.equals(limit)) {
            int max = config.delivery().maxConnections();
            return new LimitExceededException(429, limit, CONNECTION_RETRY_AFTER_SECONDS, "connections", max,
                    "this instance has " + max + " open SSE connections, the maximum "
                            + "(orderly.delivery.max-connections); retry later or connect to another instance");
        }
        int max = config.delivery().maxConnectionsPerAddress();
        return new LimitExceededException(429, limit, CONNECTION_RETRY_AFTER_SECONDS, "address", address,
                "client address " + address + " has " + max + " open SSE connections on this instance, the maximum "
                        + "(orderly.delivery.max-connections-per-address); close one or retry later");
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
