package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The message a build gets on a node whose Java is too old, and none on a recent enough one. */
class NodeJavaCheckTest {
    @Test
    void anOlderJavaNamesTheNodeAndTheVersionsInPlainWords() {
        assertEquals("node 'x' runs Java 11; Quire CI needs Java 17 or newer on every node that runs its build step",
                NodeJavaCheck.problem("x", "11"));
        assertEquals("node 'linux-arm 2' runs Java 8; Quire CI needs Java 17 or newer on every node that runs its build step",
                NodeJavaCheck.problem("linux-arm 2", "1.8"));
        assertEquals("node 'x' runs Java 16; Quire CI needs Java 17 or newer on every node that runs its build step",
                NodeJavaCheck.problem("x", "16"));
    }

    @Test
    void java17AndLaterPass() {
        assertNull(NodeJavaCheck.problem("x", "17"));
        assertNull(NodeJavaCheck.problem("x", "21"));
        assertNull(NodeJavaCheck.problem("x", "25"));
        assertNull(NodeJavaCheck.problem("x", System.getProperty("java.specification.version")),
                "this JVM runs the engine, so it passes");
    }

    @Test
    void theBuiltInNodeIsCalledSo() {
        assertEquals("the built-in node runs Java 11; Quire CI needs Java 17 or newer on every node that runs its build step",
                NodeJavaCheck.problem("", "11"));
        assertEquals(NodeJavaCheck.problem("", "11"), NodeJavaCheck.problem(null, "11"));
    }

    @Test
    void anUnreadableVersionIsAProblemSaidAsSuch() {
        assertEquals("node 'x' reports Java version 'banana', which Quire CI cannot read; Quire CI needs Java 17 or newer"
                + " on every node that runs its build step", NodeJavaCheck.problem("x", "banana"));
        assertEquals("node 'x' reports Java version 'null', which Quire CI cannot read; Quire CI needs Java 17 or newer"
                + " on every node that runs its build step", NodeJavaCheck.problem("x", null));
        assertEquals("node 'x' reports Java version '', which Quire CI cannot read; Quire CI needs Java 17 or newer"
                + " on every node that runs its build step", NodeJavaCheck.problem("x", ""));
    }

    @Test
    void featureReleasesAreReadFromOldAndNewSchemes() {
        assertEquals(8, NodeJavaCheck.feature("1.8"));
        assertEquals(5, NodeJavaCheck.feature("1.5"));
        assertEquals(17, NodeJavaCheck.feature("17"));
        assertEquals(17, NodeJavaCheck.feature(" 17 "));
        assertEquals(21, NodeJavaCheck.feature("21.0"));
        assertNull(NodeJavaCheck.feature("-3"));
        assertNull(NodeJavaCheck.feature("99999999999"));
    }
}
