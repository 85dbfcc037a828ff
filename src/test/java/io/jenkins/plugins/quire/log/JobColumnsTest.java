package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobColumnsTest {
    @Test
    void everyColumnIsPaddedToTheLongestIdOfTheRun() {
        JobColumns c = JobColumns.of(List.of("a", "build", "lint"));
        assertEquals("a     | ", c.of("a").text());
        assertEquals("build | ", c.of("build").text());
        assertEquals("lint  | ", c.of("lint").text());
        assertEquals(List.of(0, 1, 2), List.of(c.of("a").index(), c.of("build").index(), c.of("lint").index()));
    }

    @Test
    void withoutAJobListAJobsColumnIsItsOwnId() {
        JobColumns c = JobColumns.none();
        assertEquals("x | ", c.of("x").text());
        assertEquals("longer | ", c.of("longer").text());
        assertEquals(1, c.of("longer").index());
        assertEquals(0, c.of("x").index());
    }

    @Test
    void aJobMissingFromTheListIsPaddedAndNumberedAfterIt() {
        JobColumns c = JobColumns.of(List.of("build", "test"));
        assertEquals("z     | ", c.of("z").text());
        assertEquals(2, c.of("z").index());
    }

    @Test
    void anIdLongerThanTheCapIsCutWithAVisibleMarkKeepingItsEnd() {
        String id = "integration-tests-against-postgres-14";
        JobColumns c = JobColumns.of(List.of("a", id));
        String label = c.of(id).text().substring(0, JobColumns.MAX_WIDTH);
        assertEquals(JobColumns.MAX_WIDTH, c.width());
        assertEquals("integration-tes…tgres-14", label);
        assertEquals("a" + " ".repeat(JobColumns.MAX_WIDTH - 1) + " | ", c.of("a").text());
        String exact = "x".repeat(JobColumns.MAX_WIDTH);
        assertEquals(exact + " | ", JobColumns.of(List.of(exact)).of(exact).text());
    }

    @Test
    void idsThatCutToTheSameTextStayDistinct() {
        String p = "integration-tests-";
        List<String> ids = List.of(p + "one-against-postgres-14", p + "two-against-postgres-14",
                p + "one-against-mysql-8.0-14", p + "two-against-mysql-8.0-14", "short");
        JobColumns c = JobColumns.of(ids);
        Set<String> labels = new HashSet<>();
        for (String id : ids) {
            String text = c.of(id).text();
            assertTrue(text.endsWith(" | "), text);
            assertTrue(text.length() - 3 <= JobColumns.MAX_WIDTH, text);
            labels.add(text);
        }
        assertEquals(ids.size(), labels.size(), labels.toString());
        // same head and tail: numbered across the run, keeping as much of the head as fits
        assertEquals("integration-tests-one…~1 | ", c.of(ids.get(0)).text());
        assertEquals("integration-tests-two…~2 | ", c.of(ids.get(1)).text());
        assertEquals("integration-tests-one…~3 | ", c.of(ids.get(2)).text());
        assertEquals("integration-tests-two…~4 | ", c.of(ids.get(3)).text());
        assertEquals("short" + " ".repeat(JobColumns.MAX_WIDTH - 5) + " | ", c.of("short").text());
    }
}
