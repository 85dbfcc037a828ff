package io.jenkins.plugins.quire.container.agent;

import io.jenkins.plugins.quire.container.agent.AgentFrames.Frame;
import io.jenkins.plugins.quire.container.agent.AgentSession.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Why: the exec agent (agent/quire-exec-agent.c) against its protocol, docs/exec-agent.md, run as a local process of
 * this host (a static linux/amd64 binary, as the host is) so that every check of /proc sees the same processes the
 * agent does. The container run is {@link ExecAgentContainerIT}.
 */
class ExecAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PATH = "PATH=/usr/local/bin:/usr/bin:/bin";

    private AgentSession agent;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        agent = AgentSession.local();
        dir = Files.createTempDirectory("quire-agent-it-");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private static List<String> env(String... more) {
        List<String> e = new ArrayList<>(List.of(PATH));
        e.addAll(Arrays.asList(more));
        return e;
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void helloIsTheFirstFrameWithVersionAndPid() throws Exception {
        Frame hello = agent.hello();
        assertNotNull(hello);
        assertEquals(0, hello.id());
        assertTrue(AgentFrames.helloVersion(hello).startsWith("quire-exec-agent "), AgentFrames.helloVersion(hello));
        assertEquals(agent.pid(), AgentFrames.helloPid(hello));
    }

    @Test
    void stdoutAndStderrArriveApartAndStartedComesFirst() throws Exception {
        Exchange e = agent.run(1, sh("printf 'to out'; printf 'to err' >&2; printf ' more'"), env()).await(WAIT);
        assertEquals("to out more", e.out());
        assertEquals("to err", e.err());
        assertEquals(0, e.exit());
        assertEquals(0, e.signal());
        assertEquals(0, e.flags() & ~AgentFrames.OOM_COUNTED, "no flag but bit 3 (the OOM count was read)");
        assertEquals(AgentFrames.STARTED, e.frames.get(0).type());
        assertTrue(e.pid() > 1);
        assertEquals(AgentFrames.EXIT, e.frames.get(e.frames.size() - 1).type());
    }

    @Test
    void exitCodesAndSignals() throws Exception {
        Exchange three = agent.run(1, sh("exit 3"), env()).await(WAIT);
        assertEquals(3, three.exit());
        assertEquals(0, three.signal());
        Exchange term = agent.run(2, sh("kill -TERM $$"), env()).await(WAIT);
        assertEquals(128 + 15, term.exit());
        assertEquals(15, term.signal());
    }

    @Test
    void notFoundIs127AndNotExecutableIs126WithTheReasonOnStderr() throws Exception {
        Exchange missing = agent.run(1, List.of("no-such-command-quire"), env()).await(WAIT);
        assertEquals(127, missing.exit());
        assertEquals(2, missing.flags() & 2);
        assertTrue(missing.err().contains("no-such-command-quire") && missing.err().contains("not found"), missing.err());

        Path plain = dir.resolve("not-executable");
        Files.writeString(plain, "echo hi\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        Exchange denied = agent.run(2, List.of(plain.toString()), env()).await(WAIT);
        assertEquals(126, denied.exit());
        assertEquals(2, denied.flags() & 2);
        assertTrue(denied.err().toLowerCase().contains("permission denied"), denied.err());

        Exchange noCwd = agent.run(3, "", dir.resolve("gone").toString(), List.of("true"), env()).await(WAIT);
        assertEquals(126, noCwd.exit());
        assertEquals(2, noCwd.flags() & 2);
        assertTrue(noCwd.err().contains("cwd") && noCwd.err().contains("gone"), noCwd.err());

        Exchange fine = agent.run(4, List.of("true"), env()).await(WAIT);
        assertEquals(0, fine.flags() & ~AgentFrames.OOM_COUNTED, "no flag but bit 3 (the OOM count was read)");
    }

    @Test
    void argv0IsLookedUpInTheCommandsOwnPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("quire-only-here");
        Files.writeString(tool, "#!/bin/sh\necho found-in-own-path\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Exchange e = agent.run(1, List.of("quire-only-here"), List.of("PATH=/nowhere:" + bin)).await(WAIT);
        assertEquals("found-in-own-path\n", e.out());
        assertEquals(0, e.exit());
    }

    @Test
    void theEnvironmentIsExactlyTheOneGiven() throws Exception {
        List<String> given = List.of(PATH, "A=1", "SPACED=two words", "EMPTY=", "UNICODE=héllo ✓");
        Exchange e = agent.run(1, List.of("/usr/bin/env"), given).await(WAIT);
        assertEquals(given, List.of(e.out().split("\n")));
    }

    @Test
    void theCommandRunsInTheGivenDirectory() throws Exception {
        Exchange e = agent.run(1, "", dir.toString(), List.of("pwd"), env()).await(WAIT);
        assertEquals(dir.toRealPath() + "\n", e.out());
    }

    @Test
    void stdinIsDevNullAndTheCommandHasItsOwnSession() throws Exception {
        Exchange e = agent.run(1, sh("cat; echo end; readlink /proc/self/fd/0; ps -o sid= -p $$"), env()).await(WAIT);
        String[] lines = e.out().split("\n");
        assertEquals("end", lines[0]);
        assertEquals("/dev/null", lines[1]);
        assertEquals(String.valueOf(e.pid()), lines[2].trim(), "the main process leads its own session");
    }

    @Test
    void sixteenConcurrentRequestsEachGetTheirOwnOutput() throws Exception {
        List<Exchange> all = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            all.add(agent.run(i, sh("sleep 0.5; echo marker-$0; echo err-$0 >&2", String.valueOf(i)), env()));
        }
        for (Exchange e : all) e.await(WAIT);
        long lastStarted = 0, firstExit = Long.MAX_VALUE;
        for (Exchange e : all) {
            assertEquals("marker-" + e.id + "\n", e.out());
            assertEquals("err-" + e.id + "\n", e.err());
            assertEquals(0, e.exit());
            lastStarted = Math.max(lastStarted, e.first(AgentFrames.STARTED).nanos());
            firstExit = Math.min(firstExit, e.exitFrame().nanos());
        }
        assertTrue(lastStarted < firstExit, "all 16 were running at once: every S before the first X");
    }

    private static List<String> sh(String script, String arg0) {
        return List.of("sh", "-c", script, arg0);
    }

    @Test
    void aBurstOf100MBDoesNotStarveAnotherRequestAndTheAgentBuffersBoundedly() throws Exception {
        Exchange burst = agent.exchange(1);
        burst.countOnly = true;
        burst.throttleMillisPerMiB = 10;                    // a slow engine: the agent must hold back, not buffer
        agent.run(1, List.of("head", "-c", "100000000", "/dev/zero"), env());
        while (burst.outBytes == 0) Thread.sleep(5);
        Exchange small = agent.run(2, sh("echo small"), env()).await(WAIT);
        long bytesWhenSmallEnded = burst.outBytes;
        burst.await(Duration.ofMinutes(3));
        assertEquals(100_000_000L, burst.outBytes);
        assertEquals(0, burst.exit());
        assertEquals("small\n", small.out());
        assertTrue(small.exitFrame().nanos() < burst.exitFrame().nanos(), "the small request ended during the burst");
        assertTrue(bytesWhenSmallEnded < 100_000_000L, "the burst was still flowing: " + bytesWhenSmallEnded);
        long peakKb = statusKb(agent.pid(), "VmHWM:");
        assertTrue(peakKb < 8 * 1024, "the agent's peak resident memory stayed bounded: " + peakKb + " kB");
    }

    private static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
        throw new AssertionError(key + " not in /proc/" + pid + "/status");
    }

    @Test
    void everythingARequestLeftBehindIsKilledBeforeItsExitFrame() throws Exception {
        String d = dir.toString();
        String script = String.join("\n",
                "setsid sh -c 'echo $$ > " + d + "/a; exec sleep 1000' &",
                "sh -c 'sh -c \"echo \\$\\$ > " + d + "/b; exec sleep 1001\" &'",
                "env -u QUIRE_EXEC_TOKEN sh -c 'echo $$ > " + d + "/c; exec sleep 1002' &",
                "env -u QUIRE_EXEC_TOKEN setsid sh -c 'sh -c \"echo \\$\\$ > " + d + "/d; exec sleep 1003\" &' &",
                "for f in a b c d; do while [ ! -s " + d + "/$f ]; do sleep 0.02; done; done",
                "echo main-done");
        Exchange e = agent.run(1, sh(script), env("QUIRE_EXEC_TOKEN=tok-left-behind")).await(WAIT);
        assertEquals("main-done\n", e.out(), e.err());
        assertEquals(0, e.exit());
        assertEquals(1, e.flags() & 1, "flag bit 0: processes were left and killed");
        for (String f : List.of("a", "b", "c", "d")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(f)).trim());
            assertFalse(isSleep(pid), f + ": process " + pid + " still there when X arrived");
        }
        Exchange clean = agent.run(2, sh("echo clean"), env("QUIRE_EXEC_TOKEN=tok-clean")).await(WAIT);
        assertEquals(0, clean.flags() & 1, "nothing left behind, nothing killed");
    }

    /** Is pid still one of the test's sleeps (in any state, zombies included)? */
    private static boolean isSleep(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) return false;
        try {
            return Files.readString(stat).contains("(sleep)");
        } catch (IOException gone) {
            return false;
        }
    }

    /** Pids whose session is sid. */
    private static Set<Long> inSession(long sid) throws IOException {
        Set<Long> found = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String st = Files.readString(p.resolve("stat"));
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[3]) == sid && f[0].charAt(0) != 'Z') found.add(Long.parseLong(name));
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }

    @Test
    void killStopsTheWholeTreeAtOnce() throws Exception {
        Exchange e = agent.run(1, sh("sleep 1000 & sleep 1000 & sh -c 'sleep 1000 & wait' & echo up; wait"), env());
        while (!e.out().contains("up")) Thread.sleep(10);
        Set<Long> tree = Set.of();
        for (int i = 0; i < 500 && tree.size() < 5; i++) {
            tree = inSession(e.pid());
            Thread.sleep(10);
        }
        assertTrue(tree.size() >= 5, "main, three sleeps and a sh: " + tree);
        agent.send(AgentFrames.kill(1, 9));
        e.await(WAIT);
        assertEquals(137, e.exit());
        assertEquals(9, e.signal());
        assertEquals(1, e.flags() & 1);
        assertEquals(Set.of(), inSession(e.pid()), "nothing of the tree is left");
    }

    @Test
    void aCommandClosingItsPipesEarlyStillReportsItsExit() throws Exception {
        Exchange e = agent.run(1, sh("echo before; exec >&- 2>&-; sleep 0.3; exit 4"), env()).await(WAIT);
        assertEquals("before\n", e.out());
        assertEquals(4, e.exit());
        assertEquals(0, e.flags() & ~AgentFrames.OOM_COUNTED, "no flag but bit 3 (the OOM count was read)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-type", "too-long", "cut-short", "kill-without-signal"})
    void aMalformedFrameExits70WithAMessageAndKillsEveryRequest(String kind) throws Exception {
        Exchange e = agent.run(1, sh("sleep 1000 & echo $!; wait"), env());
        while (!e.out().endsWith("\n")) Thread.sleep(10);
        long child = Long.parseLong(e.out().trim());
        String expected;
        switch (kind) {
            case "unknown-type" -> { agent.send(AgentFrames.frame((byte) 'Z', 5, new byte[0])); expected = "unknown frame type 0x5a"; }
            case "too-long" -> {
                byte[] h = AgentFrames.frame(AgentFrames.RUN, 5, new byte[0]);
                h[5] = 0x01; h[6] = 0x00; h[7] = 0x00; h[8] = 0x01;          // 16 MiB + 1
                agent.send(h);
                expected = "over the 1 MiB limit";
            }
            case "cut-short" -> {
                agent.send(Arrays.copyOf(AgentFrames.run(5, "", "", List.of("true"), env()), 12));
                agent.closeStdin();
                expected = "stdin ended inside a frame";
            }
            default -> { agent.send(AgentFrames.frame(AgentFrames.KILL, 1, new byte[0])); expected = "kill frame"; }
        }
        assertEquals(70, agent.waitFor(WAIT));
        String err = agent.agentStderr();
        assertTrue(err.contains("protocol error") && err.contains(expected), err);
        assertFalse(isSleep(child), "the request's child was killed");
        assertFalse(isSleep(e.pid()) || Files.exists(Path.of("/proc/" + e.pid() + "/stat"))
                && Files.readString(Path.of("/proc/" + e.pid() + "/stat")).contains("(sh)"), "and its main process");
    }

    @Test
    void quitKillsEveryRequestAndExitsZero() throws Exception {
        Exchange e = agent.run(1, sh("sleep 1000 & echo $!; wait"), env());
        while (!e.out().endsWith("\n")) Thread.sleep(10);
        long child = Long.parseLong(e.out().trim());
        agent.send(AgentFrames.quit());
        assertEquals(0, agent.waitFor(WAIT));
        assertFalse(isSleep(child));
        assertEquals(137, e.exit(), "the killed request still got its X");
    }

    @Test
    void endOfStdinIsTakenAsQuit() throws Exception {
        Exchange e = agent.run(1, sh("sleep 1000 & echo $!; wait"), env());
        while (!e.out().endsWith("\n")) Thread.sleep(10);
        long child = Long.parseLong(e.out().trim());
        agent.closeStdin();
        assertEquals(0, agent.waitFor(WAIT));
        assertFalse(isSleep(child));
    }

    @Test
    void theUserSwitchDropsToUidAndGidWithoutSupplementaryGroups() throws Exception {
        assumeTrue("0".equals(idU()), "switching users needs root (the container test covers it as well)");
        Exchange e = agent.run(1, "1000:1000", "/", sh("id -u; id -g; id -G"), env()).await(WAIT);
        assertEquals("1000\n1000\n1000\n", e.out(), e.err());
        Exchange bad = agent.run(2, "nobody", "/", List.of("true"), env()).await(WAIT);
        assertEquals(126, bad.exit());
        assertTrue(bad.err().contains("uid:gid"), bad.err());
    }

    @Test
    void theUserSwitchSetsTheSupplementaryGroupsGivenAfterTheGid() throws Exception {
        assumeTrue("0".equals(idU()), "switching users needs root (the container test covers it as well)");
        Exchange e = agent.run(1, "1000:1000:2000,2001", "/", sh("id -u; id -G"), env()).await(WAIT);
        assertEquals("1000\n1000 2000 2001\n", e.out(), e.err());
        int id = 2;
        for (String bad : List.of("1000:1000:", "1000:1000:2000,", "1000:1000:x", "1000:1000:2000:2001")) {
            Exchange refused = agent.run(id++, bad, "/", List.of("true"), env()).await(WAIT);
            assertEquals(126, refused.exit(), bad);
            assertTrue(refused.err().contains("is not uid:gid[:groups]"), bad + ": " + refused.err());
        }
    }

    private static String idU() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return s;
    }
}
