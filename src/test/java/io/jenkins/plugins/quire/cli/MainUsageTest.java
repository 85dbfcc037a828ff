package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Help text and command-line errors of quire-ci.jar, run in-process. */
class MainUsageTest {
    @Test
    void helpDocumentsEveryRegisteredCommand() {
        for (String flag : new String[] {"--help", "-h", "help"}) {
            CliRun r = CliRun.of(flag);
            assertEquals(0, r.exit(), flag);
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage: java -jar quire-ci.jar <command> [options]\n"), r.out());
            assertTrue(r.out().contains("  validate [--file PATH]\n"), r.out());
            assertTrue(r.out().contains("  compile [--file PATH]\n"), r.out());
            assertTrue(r.out().contains("(default .quire/ci.fnl)"), r.out());
            for (Command c : Commands.all()) assertTrue(r.out().contains(c.usage()), c.name());
            boolean runPending = Commands.find("run").isEmpty();
            assertEquals(runPending, r.out().contains("  run          (coming with the container engine)"), r.out());
        }
    }

    @Test
    void aJobTimeoutBeyondOneWeekIsAUsageErrorNotAnOverflow() {
        for (String huge : new String[] {"1e300", "9.3e15", "604801"}) {
            CliRun r = CliRun.of("run", "--timeout", huge);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("quire-ci: --timeout " + huge + ": at most 604800 seconds (one week)\n"),
                    r.err());
        }
    }

    @Test
    void aMemoryLimitThatIsNotASizeIsAUsageErrorNamingTheOption() {
        CliRun r = CliRun.of("run", "--memory", "lots");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("quire-ci: --memory 'lots' is not a memory size: use a number with an optional"
                + " unit k, m or g, such as 512m or 2g\n"), r.err());
        CliRun small = CliRun.of("run", "--memory", "1m");
        assertEquals(2, small.exit(), small.err());
        assertTrue(small.err().startsWith("quire-ci: --memory '1m' is too small: Docker needs at least 6m\n"), small.err());
    }

    @Test
    void aParallelismThatIsNotAWholeNumberFrom1To64IsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"0", "-1", "65", "two", "1.5", "99999999999"}) {
            CliRun r = CliRun.of("run", "--parallel", bad);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("quire-ci: --parallel '" + bad + "' is not a whole number from 1 to 64\n"),
                    r.err());
        }
    }

    @Test
    void anUnknownExecModeIsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"fast", "Docker!", "agents"}) {
            CliRun r = CliRun.of("run", "--exec", bad);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("quire-ci: --exec '" + bad + "' is not an exec mode: use agent or docker\n"),
                    r.err());
        }
        assertTrue(CliRun.of("--help").out().contains("--exec agent|docker"));
    }

    @Test
    void noArgumentsPrintsUsageOnStderrAndExits2() {
        CliRun r = CliRun.of();
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: java -jar quire-ci.jar"), r.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun r = CliRun.of("deploy");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("quire-ci: unknown command 'deploy'\nRun 'java -jar quire-ci.jar --help' for usage.\n", r.err());
    }

    @Test
    void unknownTopLevelOptionIsAUsageError() {
        CliRun r = CliRun.of("--verbose");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("quire-ci: unknown option '--verbose'\n"), r.err());
    }

    @Test
    void unknownSubcommandOptionIsAUsageError() {
        CliRun r = CliRun.of("compile", "--fiel", "x.fnl");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("quire-ci: unknown option '--fiel' for 'compile'\n"), r.err());
    }

    @Test
    void subcommandHelpPrintsItsUsage() {
        CliRun r = CliRun.of("compile", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("compile [--file PATH]"), r.out());
    }
}
