package dev.orderly.testrun;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.orderly.access.AccessGuard;
import dev.orderly.access.Permission;
import dev.orderly.error.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/test-realtime}: starts a reproduction run and responds when its last event is emitted. */
@Path("/api/test-realtime")
@Tag(name = "Reproduction", description = "Prove ordered, lossless delivery on this deployment")
public class TestRunResource {

    private final TestRunService service;
    private final AccessGuard access;

    @Inject
    public TestRunResource(TestRunService service, AccessGuard access) {
        this.service = service;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the reproduction",
            description = "Emits `count` generate.event `content` events with random content of minSize to maxSize "
                    + "characters and sequenceId 1..count on channel `generate:<channelId>`, each awaited before "
                    + "the next and delayMs apart, then one `complete` event with sequenceId count+1. Subscribe to "
                    + "the channel and wait for its `ready` frame before calling this. Answers when every event "
                    + "has been emitted; the run's sizes and payload checksums are kept for the report.")
    @APIResponse(responseCode = "200", description = "Every event was emitted",
            content = @Content(schema = @Schema(implementation = TestRunResult.class)))
    @APIResponse(responseCode = "400", description = "A parameter is missing or out of range; nothing was emitted",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis became unavailable; the run stopped at the first failed "
            + "emit, and `emitted` lists the offsets of the events emitted before it",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Uni<TestRunResult> run(@NotNull(message = "is missing") @Valid TestRunRequest request,
            @Context RoutingContext routing) {
        request.checkSizes();
        access.require(routing, Permission.EMIT, request.channel());
        return service.run(request);
    }
}
