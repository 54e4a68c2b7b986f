package dev.orderly.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.orderly.support.EmbeddedRedisResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs the reproduction from the static test page in headless Chromium against the real service
 * and Redis, and checks the verdicts that the page shows.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class TestPageBrowserTest extends BrowserTestBase {

    @Test
    void defaultRunIsCleanInBrowser() throws IOException, URISyntaxException {
        driver.get(pageOnLoopback());
        runAndWait();
        saveScreenshotIfRequested();

        assertDefaultRunClean();
    }

    @Test
    void rejectedCountShowsServerDetail() throws URISyntaxException {
        driver.get(pageOnLoopback());
        WebElement count = driver.findElement(By.id("count"));
        count.clear();
        count.sendKeys("20000");
        runAndWait();

        assertEquals("Failed", text("status"), this::pageState);
        assertEquals("The server rejected the run (HTTP 400): count must be between 1 and 10000, got 20000",
                text("error"), "error message");
        assertTrue(driver.findElement(By.id("run-button")).isEnabled(), "run button enabled again");
        assertEquals(0, driver.findElements(By.cssSelector("#events-table tbody tr")).size(), "events table rows");
    }
}
