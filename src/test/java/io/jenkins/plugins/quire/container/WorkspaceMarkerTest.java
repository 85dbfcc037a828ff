package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host side of the workspace check: a fresh random file, readable by all, gone after close; the run spec's labels. */
class WorkspaceMarkerTest {
    @TempDir Path ws;

    @Test
    void aMarkerIsAFreshRandomFileThatCloseRemoves() throws Exception {
        WorkspaceMarker a = WorkspaceMarker.write(ws, "unix:///x.sock");
        WorkspaceMarker b = WorkspaceMarker.write(ws, "unix:///x.sock");
        assertNotNull(a);
        assertNotNull(b);
        assertTrue(a.name().startsWith(WorkspaceMarker.PREFIX), a.name());
        assertNotEquals(a.name(), b.name());
        assertNotEquals(a.content(), b.content());
        assertEquals(a.content(), Files.readString(ws.resolve(a.name())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.resolve(a.name()))));
        a.close();
        b.close();
        a.close();
        try (var s = Files.list(ws)) {
            assertEquals(0, s.count(), "nothing stays in the workspace");
        }
    }

    @Test
    void theErrorNamesTheEngineTheWorkspaceAndWhatTheContainerSaw() {
        WorkspaceMarker m = WorkspaceMarker.write(ws, "tcp://10.0.0.5:2375");
        try {
            String msg = m.notVisible("/work is empty\n").getMessage();
            assertTrue(msg.startsWith("the Docker engine at tcp://10.0.0.5:2375 does not see the workspace " + ws
                    + ": a file written there was not found in /work inside the container (/work is empty). "), msg);
        } finally {
            m.close();
        }
    }

    @Test
    void aWorkspaceThisProcessCannotWriteIsNotChecked() {
        assertNull(WorkspaceMarker.write(ws.resolve("missing-dir"), "unix:///x.sock"));
    }

    @Test
    void theControllerLabelDefaultsToTheOwnerAndSurvivesTheOtherSettings() {
        RunSpec spec = RunSpec.of("img", ws, "r", "http://ci/");
        assertEquals("http://ci/", spec.controller());
        RunSpec mine = spec.withController("hudson:h:/var/lib/hudson");
        assertEquals("hudson:h:/var/lib/hudson", mine.withUser("1:1").withJobScratch(java.util.List.of("a"))
                .withExecMode(ExecMode.DOCKER).controller());
        assertEquals("http://ci/", mine.withController(" ").controller());
        assertEquals(ws, spec.bindSource());
        assertFalse(spec.withBindSource(ws.resolve("x")).bindSource().equals(ws));
    }
}
