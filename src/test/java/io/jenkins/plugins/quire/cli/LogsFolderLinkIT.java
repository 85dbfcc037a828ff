package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the logs inside the workspace ({@code --logs quire}, as in the README's Jenkinsfile), a job can replace the
 * next job's log folder by a link to a host folder: the host must never delete or write a file there.
 */
class LogsFolderLinkIT {
    @TempDir Path tmp;
    Path ws;
    Path outside;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension("cli");

    @BeforeEach
    void setUp() throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        outside = Files.createDirectories(tmp.resolve("host-dir"));
        Files.writeString(outside.resolve("log.jsonl"), "sentinel");
    }

    private CliRun run(String linkCommand) throws IOException {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :a [:quire/push] (fn [{: sh}] (sh \"" + linkCommand + "\") {}))",
                "(ci.job :b [:a] (fn [{: sh}] (sh \"echo hello-from-b\") {}))"));
        return CliRun.of("run", "--workspace", ws.toString(), "--image", DockerTestSupport.BUSYBOX,
                "--logs", "quire");
    }

    private void assertOutsideUntouched() throws IOException {
        assertEquals("sentinel", Files.readString(outside.resolve("log.jsonl")));
        try (var files = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("log.jsonl")), files.toList());
        }
    }

    @Test
    void lnSfnOverTheNextJobsLogFolderWritesNothingOutsideTheLogsFolder() throws Exception {
        CliRun r = run("ln -sfn " + outside + " /work/quire/jobs/b");
        assertOutsideUntouched();
        assertEquals(0, r.exit(), r.out() + r.err());
        Path bLog = ws.resolve("quire/jobs/b/log.jsonl");
        assertTrue(Files.isRegularFile(bLog, LinkOption.NOFOLLOW_LINKS), r.out());
        assertTrue(Files.readString(bLog).contains("hello-from-b"));
        // the same --logs again (a Jenkinsfile's workspace is reused): a fresh folder, the old link gone
        CliRun again = run("true");
        assertEquals(0, again.exit(), again.out() + again.err());
        try (var files = Files.list(ws.resolve("quire/jobs/b"))) {
            assertEquals(List.of(bLog), files.toList());
        }
        assertOutsideUntouched();
    }

    @Test
    void aJobFolderReplacedByALinkFailsTheJobClearlyAndWritesNothingOutside() throws Exception {
        CliRun r = run("rm -rf /work/quire/jobs/b && ln -s " + outside + " /work/quire/jobs/b");
        assertOutsideUntouched();
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("was replaced by a link during the run"), r.out() + r.err());
        assertFalse(r.out().contains("hello-from-b"), r.out());
    }
}
