package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-call rules of {@link PipelineBuilder} and job-id safety, without Lua. */
class DefinitionRulesTest {
    private static final String PUSH = "quire/push";

    @Test
    void slashIsCheckedFirstAndDropsTheJob() {
        PipelineException e = assertThrows(PipelineException.class, () -> new PipelineBuilder()
                .job("foo/bar", List.of(), 2, null).job("foo/bar", List.of(PUSH), 3, null).build("ci.fnl", null));
        String msg = "Job id 'foo/bar' contains '/', which is reserved for the 'quire/' source namespace.";
        assertEquals(List.of(new Diagnostic(2, msg), new Diagnostic(3, msg)), e.diagnostics());
    }

    @Test
    void userJobMayNotBeCalledQuirePush() {
        PipelineException e = assertThrows(PipelineException.class, () -> new PipelineBuilder()
                .job(PUSH, List.of(PUSH), 1, null).build("ci.fnl", null));
        assertEquals(List.of("Job id 'quire/push' contains '/', which is reserved for the 'quire/' source namespace."),
                e.messages());
    }

    @Test
    void duplicateKeepsTheFirstRegistrationAndPointsAtTheSecond() {
        PipelineBuilder b = new PipelineBuilder()
                .job("build", List.of(PUSH), 1, null).job("build", List.of(PUSH), 4, null);
        assertEquals(List.of(new Diagnostic(4, "Job 'build' is registered more than once.")), b.definitionErrors());
    }

    @Test
    void duplicateImageKeepsTheFirstAndMentionsImage() {
        PipelineBuilder b = new PipelineBuilder().image("alpine", 1).image("debian", 2);
        assertEquals(List.of(new Diagnostic(2, "Pipeline image declared more than once.")), b.definitionErrors());
        assertTrue(b.definitionErrors().get(0).message().contains("image"));
    }

    @Test
    void emptyInputsAndDuplicateAreBothReportedForOneCall() {
        PipelineBuilder b = new PipelineBuilder().job("a", List.of(PUSH), 1, null).job("a", List.of(), 2, null);
        assertEquals(List.of(
                new Diagnostic(2, "Job 'a' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it."),
                new Diagnostic(2, "Job 'a' is registered more than once.")), b.definitionErrors());
    }

    @Test
    void pathSafeIdsAreAccepted() {
        for (String id : List.of("build", "test-1.75", "a_b", "A9", "...", ".hidden", "-")) {
            assertTrue(JobIds.isPathSafe(id), id);
        }
    }

    @Test
    void unsafeIdsAreRejectedWithAClearMessage() {
        for (String id : List.of("", ".", "..", "a b", "a\\b", "é", "a:b", "a\0b")) {
            assertFalse(JobIds.isPathSafe(id), id);
            PipelineException e = assertThrows(PipelineException.class,
                    () -> new PipelineBuilder().job(id, List.of(PUSH), 9, null).build("ci.fnl", null));
            assertEquals(List.of(new Diagnostic(9, "Job id '" + id + "' is not allowed: use only letters, digits, '_',"
                    + " '.' and '-' (and not '.' or '..'), because job ids name log folders.")), e.diagnostics());
        }
    }
}
