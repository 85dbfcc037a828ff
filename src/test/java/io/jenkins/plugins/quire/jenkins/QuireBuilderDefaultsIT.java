package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * A config.xml written without the step's fields (REST {@code createItem}, job generators, hand edits) gets every
 * field's default when it is read, as does a global configuration file without the descriptor's fields: the build runs
 * {@code .quire/ci.fnl} with the default timeout instead of failing with a NullPointerException.
 */
public class QuireBuilderDefaultsIT extends LoopbackHudsonTestCase {
    private static final String CI = "(local ci (require :quire.ci))\n"
            + "(ci.image \"quire-test:busybox\")\n"
            + "(ci.job :bare [:quire/push] (fn [{: sh}] (sh \"echo ran-with-defaults\") {:ok true}))\n";

    private static String configXml() {
        return "<?xml version='1.0' encoding='UTF-8'?>\n"
                + "<project>\n"
                + "  <properties/>\n"
                + "  <scm class=\"hudson.scm.NullSCM\"/>\n"
                + "  <triggers class=\"vector\"/>\n"
                + "  <builders>\n"
                + "    <io.jenkins.plugins.quire.jenkins.WriteWorkspaceFile>\n"
                + "      <path>.quire/ci.fnl</path>\n"
                + "      <content>" + CI.replace("&", "&amp;").replace("<", "&lt;") + "</content>\n"
                + "    </io.jenkins.plugins.quire.jenkins.WriteWorkspaceFile>\n"
                + "    <io.jenkins.plugins.quire.jenkins.QuireBuilder/>\n"
                + "    <io.jenkins.plugins.quire.jenkins.QuireBuilder>\n"
                + "      <timeout>-3</timeout>\n"
                + "      <file>  </file>\n"
                + "      <image></image>\n"
                + "      <secrets><io.jenkins.plugins.quire.jenkins.SecretEntry/></secrets>\n"
                + "    </io.jenkins.plugins.quire.jenkins.QuireBuilder>\n"
                + "  </builders>\n"
                + "  <publishers/>\n"
                + "  <buildWrappers/>\n"
                + "</project>\n";
    }

    public void testStepWithoutFieldsRunsWithTheDefaults() throws Exception {
        FreeStyleProject p = (FreeStyleProject) hudson.createProjectFromXML("quire-bare",
                new ByteArrayInputStream(configXml().getBytes(StandardCharsets.UTF_8)));
        for (QuireBuilder step : p.getBuildersList().getAll(QuireBuilder.class)) {
            assertEquals(FormChecks.DEFAULT_FILE, step.getFile());
            assertNull(step.getImage());
            assertEquals(FormChecks.DEFAULT_TIMEOUT_MINUTES, step.getTimeout());
            assertNotNull(step.getSecrets());
        }
        FreeStyleBuild b = p.scheduleBuild2(0).get(3, TimeUnit.MINUTES);
        String log = getLog(b);
        assertFalse(log, log.contains("NullPointerException"));
        assertFalse(log, log.contains("internal error"));
        assertBuildStatusSuccess(b);
        // both steps ran .quire/ci.fnl (the second one's invalid timeout and blank file fell back to the defaults)
        assertEquals(log, 3, log.split("<== job bare succeeded", -1).length);
    }

    public void testGlobalConfigurationWithoutFieldsLoadsWithDefaults() throws Exception {
        File stored = new File(hudson.getRootDir(), QuireBuilder.class.getName() + ".xml");
        Files.writeString(stored.toPath(), "<?xml version='1.0' encoding='UTF-8'?>\n"
                + "<io.jenkins.plugins.quire.jenkins.QuireBuilder_-DescriptorImpl>\n"
                + "  <defaultImage>   </defaultImage>\n"
                + "  <globalSecrets><io.jenkins.plugins.quire.jenkins.SecretEntry/></globalSecrets>\n"
                + "</io.jenkins.plugins.quire.jenkins.QuireBuilder_-DescriptorImpl>\n");
        QuireBuilder.DescriptorImpl fresh = new QuireBuilder.DescriptorImpl();
        assertNull(fresh.getDefaultImage());
        assertEquals(1, fresh.getGlobalSecrets().size());
        assertEquals("", fresh.getGlobalSecrets().get(0).getName());
        assertEquals("", fresh.getGlobalSecrets().get(0).plainValue());
        assertTrue(BuildOptions.secrets(fresh.getGlobalSecrets(), null).isEmpty());
    }
}
