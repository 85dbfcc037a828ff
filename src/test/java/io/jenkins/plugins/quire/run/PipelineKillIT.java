package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.JobState;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole run: the job timeout stops the running sh's whole tree, and its sh-exit tells the truth about it, in both
 * exec modes (plain: the killer exec; agent: the {@code K} frame).
 */
class PipelineKillIT {
    private static final String OWNER = "quire-test-pipeline-kill";
    /** The pids of the container start low; the shell's child gets one digit more, so it sorts first in /proc. */
    private static final String CHILD_SORTS_FIRST = "t=1; while [ $t -le $$ ]; do t=$((t*10)); done;"
            + " while :; do ( : ) & p=$!; wait $p; [ $p -ge $((t-1)) ] && break; done; ";

    @TempDir Path ws;
    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void theJobTimeoutKillsTheShellBeforeItsNextCommandAndShExitRecordsTheSignal(ExecMode mode) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        String cmd = CHILD_SORTS_FIRST + "echo ready; sleep 30; touch /work/after";
        Files.writeString(ws.resolve(".quire/ci.fnl"), String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"" + cmd.replace("\"", "\\\"") + "\") {:done true}))"));
        RunResult r = new PipelineRunner(RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX).owner(OWNER)
                .logsDir(ws.resolve("logs")).jobTimeout(Duration.ofSeconds(3)).execMode(mode).build(), List.of()).run();
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        JobOutcome slow = r.jobs().stream().filter(j -> j.id().equals("slow")).findFirst().orElseThrow();
        assertEquals(JobState.FAILED, slow.state(), slow.reason());
        Thread.sleep(1500);
        assertFalse(Files.exists(ws.resolve("after")), "the shell went on after the kill");
        String log = Files.readString(ws.resolve("logs/jobs/slow/log.jsonl"));
        String shExit = log.lines().filter(l -> l.contains("\"kind\":\"sh-exit\"")).findFirst().orElse("");
        assertTrue(shExit.contains("\"exit\":137") && shExit.contains("\"signal\":\"SIGKILL\""), log);
    }
}
