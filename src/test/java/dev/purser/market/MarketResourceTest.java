package dev.purser.market;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MarketResourceTest {

    @Test
    void theListingQuotesThePriceTheCardDeclares() {
        JsonPath card = given().get("/.well-known/agent-card.json").then().statusCode(200)
                .extract().jsonPath();
        String x402 = "capabilities.extensions.find { it.uri.contains('a2a-x402') }.params";
        JsonPath list = given().get("/api/market/services").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals(List.of("echo", "echo-paid"), list.getList("services.id"));
        String paid = "services.find { it.id == 'echo-paid' }.price";
        assertEquals(card.getString(x402 + ".skills.'echo-paid'.amount"), list.getString(paid + ".amount"));
        assertEquals("10000", list.getString(paid + ".amount"));
        assertEquals(card.getString(x402 + ".asset"), list.getString(paid + ".asset"));
        assertEquals(card.getString(x402 + ".network"), list.getString(paid + ".network"));
        assertEquals(card.getString(x402 + ".payTo"), list.getString(paid + ".payTo"));
        assertEquals("exact", list.getString(paid + ".scheme"));
        assertEquals("USDC", list.getString(paid + ".symbol"));
        assertNull(list.get("services.find { it.id == 'echo' }.price"), "echo is free");
        assertEquals(true, list.getBoolean("services.find { it.id == 'echo' }.available"));
        assertNotNull(list.get("services[0].provider.kind"));
        assertNull(list.get("next"));
    }

    @Test
    void filtersAndPagesCombine() {
        assertEquals(List.of("echo-paid"), given().queryParam("paid", "true").get("/api/market/services")
                .then().statusCode(200).extract().jsonPath().getList("services.id"));
        assertEquals(List.of("echo"), given().queryParam("tag", "FREE").get("/api/market/services")
                .then().statusCode(200).extract().jsonPath().getList("services.id"));
        assertEquals(List.of(), given().queryParam("q", "no such words").get("/api/market/services")
                .then().statusCode(200).extract().jsonPath().getList("services.id"));
        JsonPath first = given().queryParam("limit", "1").get("/api/market/services").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("echo"), first.getList("services.id"));
        assertEquals("echo", first.getString("next"));
        JsonPath second = given().queryParam("limit", "1").queryParam("after", first.getString("next"))
                .get("/api/market/services").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("echo-paid"), second.getList("services.id"));
        assertNull(second.get("next"));
    }

    @Test
    void badParametersAreA400NamingTheField() {
        assertEquals("limit", given().queryParam("limit", "0").get("/api/market/services").then()
                .statusCode(400).contentType("application/json").extract().jsonPath().getString("field"));
        assertEquals("limit", given().queryParam("limit", "x").get("/api/market/services").then()
                .statusCode(400).extract().jsonPath().getString("field"));
        assertEquals("paid", given().queryParam("paid", "maybe").get("/api/market/services").then()
                .statusCode(400).extract().jsonPath().getString("field"));
    }
}
