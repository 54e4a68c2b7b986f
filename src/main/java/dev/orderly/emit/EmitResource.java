package dev.orderly.emit;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import dev.orderly.access.AccessGuard;
import dev.orderly.access.Permission;
import dev.orderly.channel.AppendResult;
import dev.orderly.channel.ChannelLog;
import dev.orderly.channel.ChannelName;
import dev.orderly.channel.EventTypes;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.LimitExceededException;
import dev.orderly.error.Problem;
import dev.orderly.error.Rejections;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/channels/{channel}/events}: the generic emit API. */
@Path("/api/channels/{channel}/events")
@Tag(name = "Emit", description = "Append events to channels")
public class EmitResource {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern IDEMPOTENCY_KEY_FORMAT = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final ChannelLog log;
    private final EventTypes types;
    private final ChannelRateLimiter rateLimiter;
    private final Rejections rejections;
    private final AccessGuard access;
    private final int maxEventBytes;

    @Inject
    public EmitResource(ChannelLog log, EventTypes types, ChannelRateLimiter rateLimiter, Rejections rejections,
            AccessGuard access, OrderlyConfig config) {
        this.log = log;
        this.types = types;
        this.rateLimiter = rateLimiter;
        this.rejections = rejections;
        this.access = access;
        this.maxEventBytes = config.emit().maxEventBytes();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Emit an event",
            description = "Checks the event against its type, then appends it to the channel's history and "
                    + "publishes it to subscribers in one atomic Redis step. Returns the event's position.")
    @APIResponse(responseCode = "200", description = "The event was appended and published",
            content = @Content(schema = @Schema(implementation = AppendResult.class)))
    @APIResponse(responseCode = "400", description = "Invalid channel name, malformed JSON or unknown event type",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body or the event data is larger than its configured "
            + "limit; nothing was appended",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The data does not match the event type, or the "
            + "Idempotency-Key was used for a different event",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The channel received more emits per second than this "
            + "instance accepts; retry after the Retry-After header's seconds. Nothing was appended",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis is unavailable; nothing was appended",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Uni<AppendResult> emit(
            @Parameter(description = "Channel name: 1-256 letters, digits or : _ - .", example = "orders:eu")
            @RestPath("channel") String channel,
            @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY,
                    description = "Optional key that makes retries safe: a repeat with the same key on the same "
                            + "channel within the idempotency window returns the first result and appends nothing. "
                            + "1-128 visible ASCII characters.", example = "order-4711-shipped")
            @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
            @Context RoutingContext routing,
            EmitRequest request) {
        ChannelName.require("channel", channel);
        // Quarkus REST passes an empty header value as null, which would silently drop the key.
        checkIdempotencyKey(idempotencyKey == null ? routing.request().getHeader(IDEMPOTENCY_KEY) : idempotencyKey);
        if (request == null) {
            throw new InvalidRequestException("body", null, "body is missing: send {\"event\": ..., \"data\": ...}");
        }
        String dataJson = types.toDataJson(request.event(), request.data());
        access.require(routing, Permission.EMIT, channel);
        checkEventSize(dataJson);
        checkRate(channel);
        return log.append(channel, request.event(), dataJson, idempotencyKey);
    }

    private void checkEventSize(String dataJson) {
        // A UTF-16 char encodes to at most 3 UTF-8 bytes, so short data passes without being encoded.
        if (dataJson.length() <= maxEventBytes / 3) {
            return;
        }
        int bytes = dataJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxEventBytes) {
            rejections.count(Rejections.EVENT_SIZE);
            throw new LimitExceededException(413, Rejections.EVENT_SIZE, 0, "data", bytes + " bytes",
                    "data has " + bytes + " bytes of JSON, the maximum is " + maxEventBytes
                            + " (orderly.emit.max-event-bytes)");
        }
    }

    private void checkRate(String channel) {
        long retryAfterSeconds = rateLimiter.acquire(channel);
        if (retryAfterSeconds > 0) {
            rejections.count(Rejections.EMIT_RATE);
            throw new LimitExceededException(429, Rejections.EMIT_RATE, retryAfterSeconds, "channel", channel,
                    "channel " + channel + " received more than " + rateLimiter.ratePerSecond()
                            + " emits per second on this instance (orderly.emit.max-rate-per-channel); retry after "
                            + retryAfterSeconds + " s");
        }
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && !IDEMPOTENCY_KEY_FORMAT.matcher(key).matches()) {
            throw new InvalidRequestException(IDEMPOTENCY_KEY, key, IDEMPOTENCY_KEY
                    + " must have 1 to 128 visible ASCII characters, without spaces");
        }
    }
}
