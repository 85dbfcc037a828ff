package io.jenkins.plugins.quire.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code config.xml} of a Hudson 1.395 freestyle job for {@code POST /createItem}: "Execute shell" steps,
 * the "Run Quire CI pipeline" step (element and field names as {@code QuireBuilder} persists them: {@code file},
 * {@code image}, {@code timeout}, {@code secrets}) and the artifact archiver. Exists so the end-to-end tests create
 * jobs exactly as a user's saved configuration looks on disk, without the test harness.
 */
final class FreestyleJobXml {
    static final String QUIRE_BUILDER = "io.jenkins.plugins.quire.jenkins.QuireBuilder";

    private final List<String> builders = new ArrayList<>();
    private final List<String> publishers = new ArrayList<>();

    /** An "Execute shell" step ({@code hudson.tasks.Shell}). */
    FreestyleJobXml shell(String command) {
        builders.add("    <hudson.tasks.Shell>\n      <command>" + escape(command) + "</command>\n    </hudson.tasks.Shell>\n");
        return this;
    }

    /** The Quire CI build step without secrets (secrets are set through the configure form, see {@link JobForm}). */
    FreestyleJobXml quire(String file, String image, int timeoutMinutes) {
        builders.add("    <" + QUIRE_BUILDER + ">\n"
                + "      <file>" + escape(file) + "</file>\n"
                + (image == null ? "" : "      <image>" + escape(image) + "</image>\n")
                + "      <timeout>" + timeoutMinutes + "</timeout>\n"
                + "      <secrets/>\n"
                + "    </" + QUIRE_BUILDER + ">\n");
        return this;
    }

    /** "Archive the artifacts" ({@code hudson.tasks.ArtifactArchiver}). */
    FreestyleJobXml archive(String pattern) {
        publishers.add("    <hudson.tasks.ArtifactArchiver>\n      <artifacts>" + escape(pattern) + "</artifacts>\n"
                + "      <latestOnly>false</latestOnly>\n    </hudson.tasks.ArtifactArchiver>\n");
        return this;
    }

    String xml() {
        return "<?xml version='1.0' encoding='UTF-8'?>\n<project>\n"
                + "  <description>Quire CI end-to-end test job</description>\n"
                + "  <keepDependencies>false</keepDependencies>\n  <properties/>\n"
                + "  <scm class=\"hudson.scm.NullSCM\"/>\n  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n"
                + "  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>\n"
                + "  <triggers class=\"vector\"/>\n  <concurrentBuild>false</concurrentBuild>\n"
                + "  <builders>\n" + String.join("", builders) + "  </builders>\n"
                + "  <publishers>\n" + String.join("", publishers) + "  </publishers>\n"
                + "  <buildWrappers/>\n</project>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
