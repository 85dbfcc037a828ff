package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run that prints its secrets everywhere it can; then every byte of every file is scanned for them. */
class SecretsNeverWrittenTest {
    @TempDir
    Path dir;

    private static final String[] SECRETS = {"hunter2-XYZ", "p@ss:wörd", "~"};

    @Test
    void noSecretValueAppearsInAnyWrittenFileOrOnTheConsole() throws Exception {
        Redactor red = new Redactor();
        StringBuilder console = new StringBuilder();
        try (RunLog log = RunLog.open(dir, red, CLOCK)) {
            log.addListener(new ConsoleFormatter(new AppendableConsoleSink(console)));
            log.containerStart("img", "cid");
            for (int i = 0; i < SECRETS.length; i++) red.add("s" + i, SECRETS[i]);
            log.jobStart("leaky");
            JobLog job = log.job("leaky");
            int n = 0;
            for (String s : SECRETS) {
                job.shStart(++n, "echo " + s);
                byte[] out = utf8("value=" + s + " again " + s + "\n");
                LogFixtures.feed(job, OutputKind.STDOUT, out, new int[] {1, 2, 3, 5, 8});
                byte[] err = concat(new byte[] {(byte) 0xFF}, utf8(s), new byte[] {(byte) 0xC3});
                LogFixtures.feed(job, OutputKind.STDERR, err, new int[] {2});
                job.stdout(n, utf8(s), 0, utf8(s).length - 1); // a prefix left pending at close
                job.shExit(n, 1, 5, null);
            }
            job.shStart(++n, "tail " + SECRETS[0]);
            byte[] tail = utf8("x" + SECRETS[0]);
            job.stdout(n, tail, 0, tail.length - 2);
            log.jobEnd("leaky", JobState.FAILED, 10, "ci.fnl:9: " + String.join(",", SECRETS),
                    new ObjectMapper().valueToTree(java.util.Map.of("k", List.of(SECRETS))));
            log.containerDied(SECRETS[1]);
            log.containerEnd("removed " + SECRETS[0]);
            log.runEnd(RunStatus.FAILURE, 20);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertEquals(2, files.size(), files.toString());
        long markers = 0;
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            for (String s : SECRETS) assertFalse(contains(content, utf8(s)), f + " leaks " + s);
            markers += new String(content, java.nio.charset.StandardCharsets.UTF_8).split("\\{\\{ s", -1).length - 1;
        }
        // 3 cmds + 6 stdout + tail cmd + 3 in error + 3 in outputs + died + end, at least (stderr is base64)
        assertTrue(markers >= 18, "secrets were really written and redacted: " + markers);
        int base64Events = 0;
        for (LogEvent.Output o : LogFixtures.outputs(JsonlReader.readAll(dir.resolve("jobs/leaky/log.jsonl")))) {
            if (!o.base64()) continue;
            base64Events++;
            for (String s : SECRETS) assertFalse(contains(o.bytes(), utf8(s)), "base64 data leaks " + s);
        }
        assertTrue(base64Events > 0, "the base64 path was exercised");
        for (String s : SECRETS) assertFalse(console.toString().contains(s), "console leaks " + s);
        assertTrue(console.toString().contains("{{ s0 }}"));
    }

    @Test
    void overlappingSecretsLeaveNoPartOfEitherInAnyFileOrOnTheConsole() throws Exception {
        Redactor red = new Redactor();
        StringBuilder console = new StringBuilder();
        red.add("user", "userXpass");
        red.add("pw", "password-9f8e7d6c");
        String text = "login userXpassword-9f8e7d6c\n";
        try (RunLog log = RunLog.open(dir, red, CLOCK)) {
            log.addListener(new ConsoleFormatter(new AppendableConsoleSink(console)));
            log.jobStart("j");
            JobLog job = log.job("j");
            job.shStart(1, "echo " + text);
            LogFixtures.feed(job, OutputKind.STDOUT, utf8(text + text), new int[] {7, 3, 11, 1});
            job.shExit(1, 0, 5, null);
            log.jobEnd("j", JobState.FAILED, 10, "ci.fnl:3: " + text, null);
            log.runEnd(RunStatus.FAILURE, 20);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String content = Files.readString(f);
            assertFalse(content.contains("9f8e7d6c") || content.contains("word"), f + ": " + content);
            assertTrue(content.contains("{{ user }}"), content);
        }
        assertFalse(console.toString().contains("9f8e7d6c"), console.toString());
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return true;
        }
        return false;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] r = new byte[0];
        for (byte[] p : parts) {
            int old = r.length;
            r = Arrays.copyOf(r, old + p.length);
            System.arraycopy(p, 0, r, old, p.length);
        }
        return r;
    }
}
