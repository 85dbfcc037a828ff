package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stop button reaches a run on its node whether it is pressed before or after the run registered there. */
class NodeRunsTest {
    @TempDir
    Path workspace;

    private PipelineRunner runner() {
        return new PipelineRunner(RunOptions.builder(workspace).build(), List.of());
    }

    @Test
    void anAbortBeforeTheRunRegistersAbortsItAsItRegisters() {
        String key = UUID.randomUUID().toString();
        assertFalse(NodeRuns.abort(key, "build aborted in Hudson"), "nothing registered yet");
        PipelineRunner r = runner();
        NodeRuns.add(key, r);
        try {
            assertTrue(r.aborted(), "the early abort reached the run when it registered");
        } finally {
            NodeRuns.remove(key);
        }
    }

    @Test
    void anAbortAfterRegistrationAbortsAtOnceAndOtherRunsAreLeftAlone() {
        String key = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        PipelineRunner r = runner();
        PipelineRunner o = runner();
        NodeRuns.add(key, r);
        NodeRuns.add(other, o);
        try {
            assertFalse(r.aborted());
            assertTrue(NodeRuns.abort(key, "stop"));
            assertTrue(r.aborted());
            assertFalse(o.aborted());
        } finally {
            NodeRuns.remove(key);
            NodeRuns.remove(other);
        }
        PipelineRunner later = runner();
        NodeRuns.add(key, later);    // a key is used once: an old run's end leaves nothing behind for a new one
        try {
            assertFalse(later.aborted());
        } finally {
            NodeRuns.remove(key);
        }
    }
}
