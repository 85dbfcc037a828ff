package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** A controller without a root URL is named by host and home, so two controllers on one machine differ. */
class ControllerIdTest {
    @Test
    void hostAndHomeNameTheController() {
        assertEquals("hudson:ci-1:/var/lib/hudson", ControllerId.of("ci-1", "/var/lib/hudson"));
        assertNotEquals(ControllerId.of("ci-1", "/var/lib/hudson"), ControllerId.of("ci-1", "/srv/hudson-2"));
        assertNotEquals(ControllerId.of("ci-1", "/var/lib/hudson"), ControllerId.of("ci-2", "/var/lib/hudson"));
        assertEquals("hudson:localhost:/h", ControllerId.of(" ", "/h"));
    }
}
