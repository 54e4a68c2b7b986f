package dev.orderly.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.orderly.access.AccessTokenProfile;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.openqa.selenium.By;

/**
 * The test page against a service that requires channel access tokens: the browser's {@code EventSource} passes
 * the token as a query parameter, and a run without one fails with a message that points at it.
 */
@QuarkusTest
@TestProfile(AccessTokenProfile.class)
@QuarkusTestResource(EmbeddedRedisResource.class)
class TokenPageBrowserTest extends BrowserTestBase {

    @Test
    void runWithTokenIsClean() throws URISyntaxException {
        String token = Tokens.sign(Tokens.claims("subscribe emit", List.of("generate:*")),
                AccessTokenProfile.SECRET);
        driver.get(pageOnLoopback());
        driver.findElement(By.id("access-token")).sendKeys(token);

        runAndWait();

        assertDefaultRunClean();
    }

    @Test
    void runWithoutTokenFails() throws URISyntaxException {
        driver.get(pageOnLoopback());

        runAndWait();

        assertEquals("Failed", text("status"), this::pageState);
        assertTrue(text("error").startsWith("Failed to open the event stream for generate:"), text("error"));
        assertTrue(text("error").endsWith(": HTTP 401: an access token is required: send it as \"Authorization: "
                + "Bearer <token>\", as the access_token query parameter or as the orderly_token cookie"), text("error"));
        assertEquals(0, driver.findElements(By.cssSelector("#events-table tbody tr")).size(), "events table rows");
    }
}
