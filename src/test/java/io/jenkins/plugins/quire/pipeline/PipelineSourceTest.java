package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ci.fnl comes from an untrusted checkout: only a regular file inside the workspace, of bounded size, is read. */
class PipelineSourceTest {
    /** Generous: only guards against a hang; the assertions are on the messages. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir Path tmp;
    Path ws;
    Path ci;

    @BeforeEach
    void setUp() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        Files.createDirectories(ws.resolve(".quire"));
        ci = ws.resolve(".quire/ci.fnl");
    }

    private String error(Path root) {
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineSource.read(ci, ".quire/ci.fnl", root));
        return e.getMessage();
    }

    @Test
    void aLinkToAFileOutsideTheWorkspaceIsRefusedWithoutShowingIt() throws Exception {
        Path secret = Files.writeString(tmp.resolve("shadow"), "root:$6$very-secret-hash:19000:0:99999:7:::\n");
        Files.createSymbolicLink(ci, secret);
        String msg = error(ws);
        assertTrue(msg.contains(".quire/ci.fnl"), msg);
        assertTrue(msg.contains("leads outside " + ws), msg);
        assertFalse(msg.contains("very-secret-hash"), msg);
        assertFalse(msg.contains("root:"), msg);
    }

    @Test
    void aFileNamedThroughALinkToTheWorkspaceIsStillConfinedToIt() throws Exception {
        // `--file $WORKSPACE/.quire/ci.fnl` with a link on $WORKSPACE's way while the workspace is the real cwd: the
        // repository's `.quire -> /etc` must not be followed out of the workspace
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("ci.fnl"), "root:$6$very-secret-hash\n");
        Files.delete(ws.resolve(".quire"));
        Files.createSymbolicLink(ws.resolve(".quire"), host);
        Path wsLink = Files.createSymbolicLink(tmp.resolve("ws-link"), ws);
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineSource.read(wsLink.resolve(".quire/ci.fnl"), ".quire/ci.fnl", ws));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(e.getMessage().contains("very-secret-hash"), e.getMessage());
    }

    @Test
    void aLinkInsideTheWorkspaceIsRead() throws Exception {
        Files.writeString(ws.resolve("real.fnl"), "(print 1)");
        Files.createSymbolicLink(ci, Path.of("../real.fnl"));
        assertEquals("(print 1)", PipelineSource.read(ci, ".quire/ci.fnl", ws));
    }

    @Test
    void aLinkToDevZeroIsRefusedWithoutReadingIt() throws Exception {
        Files.createSymbolicLink(ci, Path.of("/dev/zero"));
        String msg = assertTimeoutPreemptively(HANG_GUARD, () -> error(Path.of("/")));
        assertTrue(msg.contains(".quire/ci.fnl") && msg.contains("not a regular file"), msg);
        assertTrue(assertTimeoutPreemptively(HANG_GUARD, () -> error(ws)).contains("leads outside"));
    }

    @Test
    void aFileAboveTheSizeLimitIsRefused() throws Exception {
        Files.write(ci, new byte[PipelineSource.MAX_BYTES + 1]);
        String msg = error(ws);
        assertTrue(msg.contains(".quire/ci.fnl") && msg.contains("larger than 1 MiB"), msg);
        Files.write(ci, ";".repeat(PipelineSource.MAX_BYTES).getBytes());
        assertEquals(PipelineSource.MAX_BYTES, PipelineSource.read(ci, ".quire/ci.fnl", ws).length());
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", ci.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        String msg = assertTimeoutPreemptively(HANG_GUARD, () -> error(ws));
        assertTrue(msg.contains(".quire/ci.fnl") && msg.contains("not a regular file"), msg);
    }

    @Test
    void aDirectoryAndAMissingFileAreNamed() throws Exception {
        assertTrue(error(ws).contains("no such file"));
        Files.createDirectory(ci);
        assertTrue(error(ws).contains("is a directory"));
    }
}
