package dev.purser.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** {@link SessionKeyBearerTest} again with {@code PURSER_AUTH=required}. */
@QuarkusTest
@TestProfile(SessionKeyBearerRequiredTest.Required.class)
class SessionKeyBearerRequiredTest extends SessionKeyBearerTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("purser.auth", "required");
        }
    }
}
