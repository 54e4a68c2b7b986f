package dev.orderly.probe;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.orderly.access.AccessGrant;
import dev.orderly.access.AccessGuard;
import dev.orderly.access.Permission;
import dev.orderly.error.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/probes}: runs the reproduction against this instance over loopback SSE and reports on it. */
@Path("/api/probes")
@Tag(name = "Reproduction")
public class ProbeResource {

    private final ProbeService service;
    private final AccessGuard access;

    @Inject
    public ProbeResource(ProbeService service, AccessGuard access) {
        this.service = service;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Probe delivery on this instance",
            description = "Subscribes to a fresh channel `generate:probe-<random id>` over HTTP on 127.0.0.1, as a "
                    + "browser would, waits for the `ready` frame, then runs the reproduction on that channel "
                    + "(the same run as POST /api/test-realtime, with the same limits) and collects every data "
                    + "frame. When the `complete` event has arrived, or the wait limit has passed, it closes the "
                    + "subscription and returns the delivery report (as POST /api/reports computes it), the "
                    + "latency from each event's emittedAt to its receipt (p50, p90, p99, max, in ms) and the "
                    + "probe's duration. The wait limit is 10 ms plus delayMs per event, at most 300 s, plus the "
                    + "position check interval and 5 s; the run's delays alone (count × delayMs) may be at most "
                    + "300,000 ms. An empty body or `{}` runs the default probe: 100 events of 1 to 5000 "
                    + "characters, 5 ms apart.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = ProbeRequest.class)))
    @APIResponse(responseCode = "200", description = "The probe ran; `report.clean` tells whether every event "
            + "arrived once, in order and unaltered, and `timedOut` whether the wait limit passed first",
            content = @Content(schema = @Schema(implementation = ProbeResult.class)))
    @APIResponse(responseCode = "400", description = "A parameter is out of range, unknown or of the wrong type; "
            + "nothing was subscribed or emitted",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis is unavailable, or the probe's subscription failed or "
            + "was not confirmed within 10 s; a run that stopped part way lists in `emitted` the offsets of the "
            + "events it emitted",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "504", description = "The run was still emitting when the wait limit passed, so "
            + "it was cancelled",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Uni<ProbeResult> probe(ProbeRequest request, @Context RoutingContext routing) {
        return service.probe(request == null ? ProbeRequest.DEFAULTS : request,
                channel -> authorize(routing, channel));
    }

    /** Requires both permissions on the probe's channel; its own subscription then uses the caller's token. */
    private AccessGrant authorize(RoutingContext routing, String channel) {
        access.require(routing, Permission.EMIT, channel);
        return access.require(routing, Permission.SUBSCRIBE, channel);
    }
}
