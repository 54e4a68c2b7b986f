package dev.orderly.report;

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
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.Problem;
import dev.orderly.testrun.RunRecords;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/reports}: the delivery report of one client for one reproduction run. */
@Path("/api/reports")
@Tag(name = "Reproduction")
public class ReportResource {

    private final RunRecords records;
    private final AccessGuard access;

    @Inject
    public ReportResource(RunRecords records, AccessGuard access) {
        this.records = records;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compute a delivery report",
            description = "Compares what a client received (sequence ids in arrival order with content sizes and "
                    + "checksums) with what the run sent, and returns expected, received, missing and duplicate "
                    + "ids, whether the order held, and a per-event table. The test page posts its arrivals "
                    + "here, so browser and server agree on the verdict.")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(schema = @Schema(implementation = DeliveryReport.class)))
    @APIResponse(responseCode = "400", description = "The request is malformed or a field is invalid",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No run with that id, or its record has expired",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis is unavailable",
            content = @Content(schema = @Schema(implementation = Problem.class)))
    public Uni<DeliveryReport> report(@NotNull(message = "is missing") @Valid ReportRequest request,
            @Context RoutingContext routing) {
        // The scope is checked before Redis is read, so a token without subscribe learns nothing about runs.
        access.require(routing, Permission.SUBSCRIBE);
        return records.find(request.runId())
                .map(run -> {
                    if (run == null) {
                        throw new InvalidRequestException(404, "runId", request.runId(), "run " + request.runId()
                                + " was not found: it never existed or its record has expired");
                    }
                    // A report describes what a subscriber of the run's channel received.
                    access.require(routing, Permission.SUBSCRIBE, run.channel());
                    return ReportCalculator.compute(run, request.arrivals());
                });
    }
}
