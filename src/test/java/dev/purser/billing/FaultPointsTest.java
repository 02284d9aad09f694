package dev.purser.billing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The crash tests' kill switch is inert unless armed, and cannot be armed by a typo. */
class FaultPointsTest {

    @Test
    void unsetOrBlankItHaltsNowhere() {
        for (Optional<String> unarmed : java.util.List.of(Optional.<String>empty(), Optional.of(" "))) {
            FaultPoints faults = new FaultPoints(unarmed);
            // reaching every point returns: this JVM is still running
            FaultPoints.POINTS.forEach(faults::reach);
        }
    }

    @Test
    void armedAtOnePointItPassesTheOthers() {
        FaultPoints faults = new FaultPoints(Optional.of(FaultPoints.DURING_SETTLE));
        FaultPoints.POINTS.stream().filter(p -> !p.equals(FaultPoints.DURING_SETTLE))
                .forEach(p -> assertDoesNotThrow(() -> faults.reach(p)));
    }

    @Test
    void aNameThatIsNoFaultPointStopsTheStartNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaultPoints(Optional.of("after-wrok")));
        assertTrue(e.getMessage().contains("PURSER_FAULT_POINT"), e.getMessage());
        assertTrue(e.getMessage().contains("after-work"), "it lists the points: " + e.getMessage());
    }
}
