package dev.orderly.http;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.orderly.access.AccessGuard;

/**
 * Adds to the OpenAPI document what every {@code /api/} endpoint shares, so no endpoint can miss it: the access
 * token security schemes with their 401 and 403 responses, and the 404 of the reproduction endpoints when the
 * reproduction is off. Registered as {@code mp.openapi.filter}; Quarkus applies it when it builds the document.
 */
public class ApiDocumentation implements OASFilter {

    static final String BEARER_SCHEME = "accessToken";
    static final String QUERY_SCHEME = "accessTokenQuery";
    static final String COOKIE_SCHEME = "accessTokenCookie";

    private static final String WHEN_ON = " Required when channel access tokens are on (orderly.auth).";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        addSchemes(openAPI.getComponents());
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!AccessGuard.isProtected(path.getKey())) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                document(path.getKey(), operation);
            }
        }
    }

    private static void addSchemes(Components components) {
        components.addSecurityScheme(BEARER_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description("A JWT signed with HS256 under orderly.auth.token-secret, with exp and iat, a "
                        + "space-separated scope of subscribe and emit, and channels: a list of channel names or "
                        + "patterns where * stands for any characters." + WHEN_ON));
        components.addSecurityScheme(QUERY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.QUERY)
                .name(AccessGuard.QUERY_PARAMETER)
                .description("The same token as a query parameter, for EventSource, which cannot send headers. "
                        + "Only GET /api/realtime reads it."));
        components.addSecurityScheme(COOKIE_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.COOKIE)
                .name("orderly_token")
                .description("The same token as a cookie (name set by orderly.auth.cookie, default "
                        + "orderly_token). Only GET /api/realtime reads it."));
    }

    private static void document(String path, Operation operation) {
        operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER_SCHEME));
        if (path.equals(AccessGuard.SUBSCRIBE_PATH)) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(QUERY_SCHEME));
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(COOKIE_SCHEME));
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        operation.getResponses().addAPIResponse("401", problem("The access token is missing, malformed, wrongly "
                + "signed or expired; the WWW-Authenticate header says which." + WHEN_ON));
        operation.getResponses().addAPIResponse("403", problem("The access token is valid but does not allow this "
                + "action (its scope) on this channel (its channels), with WWW-Authenticate: Bearer "
                + "error=\"insufficient_scope\"."));
        if (RequestGuards.REPRODUCTION_API_PATHS.contains(path)) {
            operation.getResponses().addAPIResponse("404", problem(notFoundDetail(operation)));
        }
    }

    private static String notFoundDetail(Operation operation) {
        APIResponse existing = operation.getResponses().getAPIResponse("404");
        String off = "the reproduction is off (orderly.reproduction.enabled, default off in production)";
        return existing == null ? "Not found: " + off : existing.getDescription() + "; or " + off;
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent()
                        .addMediaType("application/json", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem"))));
    }
}
