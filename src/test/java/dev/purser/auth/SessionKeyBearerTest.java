package dev.purser.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A {@code psk_} bearer on {@code /v1} is not refused by the security layer (the JWT mechanism
 * would refuse it as a malformed JWT): it reaches JAX-RS, which here has no such resource and
 * answers 404, so the {@code /v1} resource can check the key and answer in OpenAI's format.
 * Under {@code PURSER_AUTH=optional} (the default); {@link SessionKeyBearerRequiredTest} runs it again under
 * {@code required}.
 */
@QuarkusTest
class SessionKeyBearerTest {

    private static final String NO_SUCH_ROUTE = "/v1/purser-test-no-such-route";

    @Test
    void aSessionKeyBearerReachesTheModelApi() {
        given().header("Authorization", "Bearer psk_garbage").get(NO_SUCH_ROUTE).then()
                .statusCode(404).header("WWW-Authenticate", nullValue());
        given().header("Authorization", "bearer psk_" + "A".repeat(43)).body("{}")
                .post("/v1/chat/completions-not-yet").then().statusCode(404);
    }

    @Test
    void anyOtherBearerThatIsNoJwtIsStillRefusedThere() {
        given().header("Authorization", "Bearer garbage").get(NO_SUCH_ROUTE).then()
                .statusCode(401);
        given().header("Authorization", "Bearer psk").get(NO_SUCH_ROUTE).then()
                .statusCode(401);
    }

    @Test
    void aSessionKeyIsNoBearerTokenOutsideTheModelApi() {
        given().header("Authorization", "Bearer psk_garbage")
                .get("/api/a2a/mandates/0x" + "ab".repeat(32)).then().statusCode(401);
        given().header("Authorization", "Bearer psk_garbage").get("/v1x/models").then()
                .statusCode(401);
    }
}
