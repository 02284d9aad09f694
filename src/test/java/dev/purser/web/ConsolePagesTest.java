package dev.purser.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The pages as a browser with JavaScript off gets them: plain HTML, the API's refusals. */
@QuarkusTest
class ConsolePagesTest {

    @Test
    void theMarketplaceIsServerRenderedHtmlWithTheApisServices() {
        given().accept("text/html").get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("data-service=\"echo-paid\""))
                .body(containsString("0.01 USDC"))
                .body(containsString("<label for=\"f-max\">"));
        // The next page keeps the filters.
        given().get("/?limit=1&q=echo").then().statusCode(200)
                .body(containsString("href=\"/?after=echo&amp;q=echo&amp;limit=1\""));
        given().get("/?paid=false").then().statusCode(200)
                .body(containsString("data-service=\"echo\""))
                .body(not(containsString("data-service=\"echo-paid\"")));
    }

    @Test
    void aRefusedReadShowsTheApisMessageWithItsStatus() {
        given().get("/?sort=fastest").then().statusCode(400)
                .body(containsString("sort must be price, latency or success"));
        given().get("/providers/no-such-provider").then().statusCode(404)
                .body(containsString("no provider no-such-provider"));
        given().get("/envelopes/0x12").then().statusCode(400)
                .body(containsString("0x + 64 hex digits"));
        given().get("/envelopes/0x" + "ab".repeat(32)).then().statusCode(404);
        given().get("/envelopes?id=nope").then().statusCode(400);
    }

    @Test
    void theEnvelopeFinderGoesToTheEnvelopesPage() {
        String id = "0x" + "cd".repeat(32);
        given().redirects().follow(false).get("/envelopes?id=" + id).then().statusCode(303)
                .header("Location", endsWith("/envelopes/" + id));
    }

    @Test
    void theScriptsAndTheChartLibraryAreServed() {
        for (String path : new String[] {"/console/ledger.js", "/console/spend.js",
                "/console/operator.js", "/console/console.css", "/console/receipts.js",
                "/vendor/noble-secp256k1-3.2.0/index.js", "/vendor/noble-hashes-2.4.0/sha3.js",
                "/vendor/noble-hashes-2.4.0/_u64.js", "/vendor/noble-hashes-2.4.0/utils.js",
                "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"}) {
            given().get(path).then().statusCode(200);
        }
    }
}
