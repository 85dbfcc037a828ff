package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The "Run Quire CI pipeline" step in a real Hudson 1.395 (test harness) running real pipelines in Docker
 * ({@code quire-test:busybox}): build results, console lines, archived logs, secrets never in clear, and the abort
 * button (executor interrupt) ending the build ABORTED within 5 s with the container gone.
 */
public class QuireBuilderBuildIT extends LoopbackHudsonTestCase {
    private static final String IMAGE = "quire-test:busybox";
    private static final String SECRET_VALUE = "s3cr3t-Qx7-value";

    private static String fnl(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private FreeStyleProject project(String name, String ciPath, String ciText, QuireBuilder step) throws IOException {
        FreeStyleProject p = createFreeStyleProject(name);
        if (ciText != null) p.getBuildersList().add(new WriteWorkspaceFile(ciPath, ciText));
        p.getBuildersList().add(step);
        return p;
    }

    private static QuireBuilder step(String file, String image, SecretEntry... secrets) {
        return new QuireBuilder(file, image, "5", new ArrayList<>(Arrays.asList(secrets)));
    }

    public void testPipelineRunsInDockerWithOutputsSkippedJobAndSecretsAndSucceeds() throws Exception {
        QuireBuilder.DescriptorImpl d = hudson.getDescriptorByType(QuireBuilder.DescriptorImpl.class);
        d.setGlobal(IMAGE, List.of(new SecretEntry("token", Secret.fromString("global-loses")),
                new SecretEntry("region", Secret.fromString("eu-west-9"))));
        d.save();
        String ci = fnl(
                "(local ci (require :quire.ci))",
                "(ci.job :build [:quire/push]",
                "  (fn [{: sh : jobs}]",
                "    (let [r (sh \"echo building-$((6*7)); echo warn-line >&2\")]",
                "      {:built (= 0 r.exit) :number (. (jobs :quire/push) :build-number)})))",
                "(ci.job :lint [:quire/push] (fn [{: sh}] (sh \"echo lint-ran\") nil))",
                "(ci.job :test [:build :lint]",
                "  (fn [{: sh : jobs : secret}]",
                "    (sh [\"sh\" \"-c\" \"echo token=$TOKEN region=$REGION\"]",
                "        {:env {:TOKEN (secret :token) :REGION (secret :region)}})",
                "    {:lint-was (if (= nil (jobs :lint)) :nil :set) :built (. (jobs :build) :built)}))");
        FreeStyleProject p = project("quire-ok", ".quire/ci.fnl", ci,
                step("", "", new SecretEntry("token", Secret.fromString(SECRET_VALUE))));
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(b);
        System.out.println("=== console of " + b.getFullDisplayName() + "\n" + log.replace('\u001e', '^'));
        for (String expected : List.of("container started: " + IMAGE, "==> job build",
                "$ echo building-$((6*7)); echo warn-line >&2", "building-42", "! warn-line", "exit 0 (",
                "<== job build succeeded", "lint-ran", "<== job lint skipped", "==> job test",
                "token={{ token }} region={{ region }}", "<== job test succeeded", "Summary:", "Result: SUCCESS")) {
            assertTrue("console lacks '" + expected + "':\n" + log, log.contains(expected));
        }
        assertFalse("a global secret must not win over the job's", log.contains("global-loses"));
        // the logs are build artifacts (artifact browser) and the Quire CI page is attached
        Path quire = b.getArtifactsDir().toPath().resolve("quire");
        assertTrue(Files.isRegularFile(quire.resolve("log.jsonl")));
        for (String job : List.of("build", "lint", "test")) {
            assertTrue(job, Files.isRegularFile(quire.resolve("jobs/" + job + "/log.jsonl")));
        }
        List<String> artifacts = new ArrayList<>();
        for (Run<?, ?>.Artifact a : b.getArtifacts()) artifacts.add(a.relativePath);
        assertTrue(artifacts.toString(), artifacts.contains("quire/log.jsonl"));
        assertTrue(artifacts.toString(), artifacts.contains("quire/jobs/test/log.jsonl"));
        String runLog = Files.readString(quire.resolve("log.jsonl"));
        assertTrue(runLog, runLog.contains("\"outputs\":{\"lint-was\":\"nil\",\"built\":true}")
                || runLog.contains("\"lint-was\":\"nil\""));
        assertTrue(runLog, runLog.contains("\"build-number\":1"));
        assertTrue(runLog, runLog.contains("\"job-name\":\"quire-ok\""));
        assertNotNull("Quire CI page attached", b.getAction(QuireRunAction.class));
        String artifactPage = createWebClient().getPage(b, "artifact/quire/").getWebResponse().getContentAsString();
        assertTrue(artifactPage, artifactPage.contains("log.jsonl"));
        // the secrets are in clear nowhere: console, artifacts, job config, Quire CI page
        assertNoSecret(b.getLogFile().toPath(), SECRET_VALUE, "eu-west-9");
        try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                assertNoSecret(f, SECRET_VALUE, "eu-west-9");
            }
        }
        assertNoSecret(new File(p.getRootDir(), "config.xml").toPath(), SECRET_VALUE);
        assertNoSecret(new File(hudson.getRootDir(), QuireBuilder.class.getName() + ".xml").toPath(), "eu-west-9");
        String page = createWebClient().getPage(b, "quire/").getWebResponse().getContentAsString();
        assertFalse(page.contains(SECRET_VALUE));
        assertTrue(page, page.contains("{{ token }}"));
    }

    public void testFailingJobFailsTheBuildSkipsDependentsAndRunsIndependentJobs() throws Exception {
        String ci = fnl(
                "(local ci (require :quire.ci))",
                "(ci.image \"" + IMAGE + "\")",
                "(ci.job :unit [:quire/push]",
                "  (fn [{: sh}] (let [r (sh \"echo failing; exit 3\")] (when (not= 0 r.exit) (error \"tests failed\")))))",
                "(ci.job :deploy [:unit] (fn [{: sh}] (sh \"echo deploying\") {:ok true}))",
                "(ci.job :docs [:quire/push] (fn [{: sh}] (sh \"echo docs-built\") {:ok true}))");
        // the step's image override wins over (ci.image ...)
        FreeStyleProject p = project("quire-fail", ".quire/ci.fnl", ci, step(null, "quire-test:debian"));
        FreeStyleBuild b = assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(b);
        for (String expected : List.of("container started: quire-test:debian (", "exit 3 (", "<== job unit failed",
                "tests failed",
                "<== job deploy skipped", "upstream 'unit' failed", "docs-built", "<== job docs succeeded",
                "Result: FAILURE")) {
            assertTrue("console lacks '" + expected + "':\n" + log, log.contains(expected));
        }
        assertFalse(log, log.contains("deploying"));
    }

    public void testInvalidPipelineFailsWithEveryDiagnosticInTheConsole() throws Exception {
        String ci = fnl(
                "(local ci (require :quire.ci))",
                "(ci.job :a [:typo] (fn [] nil))",
                "(ci.job :b [:c] (fn [] nil))",
                "(ci.job :c [:b] (fn [] nil))");
        FreeStyleProject p = project("quire-invalid", "ci/pipeline.fnl", ci, step("ci/pipeline.fnl", IMAGE));
        FreeStyleBuild b = assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(b);
        for (String expected : List.of("ci/pipeline.fnl has errors",
                "Job 'a' lists unknown input 'typo'.", "Cycle detected among jobs: b, c", "ci/pipeline.fnl:2")) {
            assertTrue("console lacks '" + expected + "':\n" + log, log.contains(expected));
        }
        assertFalse("nothing ran", log.contains("container started"));
    }

    public void testMissingPipelineFileFailsNamingThePath() throws Exception {
        FreeStyleProject p = project("quire-missing", null, null, step("ci/missing.fnl", IMAGE));
        FreeStyleBuild b = assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(b);
        assertTrue(log, log.contains("pipeline file ci/missing.fnl not found in the workspace"));
        assertTrue(log, log.contains(new File(b.getWorkspace().getRemote(), "ci/missing.fnl").getPath()));
        // a link from the workspace to a file outside it is refused too (the container only sees the workspace)
        Path outside = Files.writeString(createTmpDir().toPath().resolve("outside.fnl"), "(local ci (require :quire.ci))");
        Path link = Path.of(b.getWorkspace().getRemote(), "ci/missing.fnl");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);
        FreeStyleBuild b2 = assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        assertTrue(getLog(b2), getLog(b2).contains("pipeline file ci/missing.fnl is a link to a file outside the workspace"));
    }

    public void testAbortEndsTheBuildAbortedWithinFiveSecondsAndRemovesTheContainer() throws Exception {
        String ci = fnl(
                "(local ci (require :quire.ci))",
                "(ci.image \"" + IMAGE + "\")",
                "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"echo sleeping; sleep 120\") {:done true}))",
                "(ci.job :after [:slow] (fn [{: sh}] (sh \"echo after\") {:done true}))");
        FreeStyleProject p = project("quire-abort", ".quire/ci.fnl", ci, step(null, null));
        HarnessBuilds.abortWhileSleeping(p, BuildOptions.owner());
    }



    private static void assertNoSecret(Path file, String... secrets) throws IOException {
        assertTrue(file.toString(), Files.isRegularFile(file));
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String s : secrets) assertFalse(s + " in clear in " + file, text.contains(s));
    }
}
