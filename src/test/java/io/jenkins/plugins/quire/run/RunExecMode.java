package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Why: a run test that takes the exec mode as a parameter proves nothing about the agent if the run silently fell
 * back to plain {@code docker exec}: the run log's {@code exec-mode} events must name the asked mode, and only it
 * (a fallback mid-run would add a second event).
 */
final class RunExecMode {
    private RunExecMode() {}

    static void assertRanIn(Path logs, ExecMode mode) throws IOException {
        List<LogEvent.ExecMode> events = JsonlReader.readAll(logs.resolve("log.jsonl")).stream()
                .filter(LogEvent.ExecMode.class::isInstance).map(LogEvent.ExecMode.class::cast).toList();
        assertEquals(List.of(mode.label()), events.stream().map(LogEvent.ExecMode::mode).toList(),
                "the run's exec-mode events: " + events);
    }
}
