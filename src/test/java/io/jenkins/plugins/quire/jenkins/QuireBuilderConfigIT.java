package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.html.HtmlForm;
import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The build step's job and global configuration in a real Hudson 1.395: round trips through the rendered forms
 * (which also proves Stapler 1.155 can bind the classes), secrets stored encrypted, form validation over HTTP, help.
 */
public class QuireBuilderConfigIT extends LoopbackHudsonTestCase {
    private static final String JOB_SECRET = "job-secret-Zq81";
    private static final String GLOBAL_SECRET = "global-secret-Pw52";

    public void testJobConfigRoundTripThroughTheFormKeepsEveryFieldBindsEditsAndStoresSecretsEncrypted()
            throws Exception {
        QuireBuilder defaults = new QuireBuilder(null, " ", "", null);
        assertEquals(".quire/ci.fnl", defaults.getFile());
        assertNull(defaults.getImage());
        assertEquals(60, defaults.getTimeout());
        assertTrue(defaults.getSecrets().isEmpty());
        List<SecretEntry> secrets = new ArrayList<>();
        secrets.add(new SecretEntry("upload_token", Secret.fromString(JOB_SECRET)));
        secrets.add(new SecretEntry("other.name-2", Secret.fromString("second")));
        assertNull(defaults.getMemory());
        assertNull(defaults.getParallel());
        assertEquals("agent", defaults.getExec());
        QuireBuilder before = new QuireBuilder("ci/build.fnl", "quire-test:debian", "41", secrets, "512m", "3", "docker");
        FreeStyleProject p = createFreeStyleProject("roundtrip");
        p.getBuildersList().add(before);
        HtmlPage page = formClient().getPage(p, "configure");
        assertFalse("the form must not show a secret in clear", page.getWebResponse().getContentAsString()
                .contains(JOB_SECRET));
        HtmlForm form = page.getFormByName("config");
        assertEquals("ci/build.fnl", form.getInputByName("_.file").getValueAttribute());
        form.getInputByName("_.timeout").setValueAttribute("42"); // edited in the form: was 41
        assertEquals("512m", form.getInputByName("_.memory").getValueAttribute());
        form.getInputByName("_.memory").setValueAttribute(" 1g ");
        assertEquals("3", form.getInputByName("_.parallel").getValueAttribute());
        form.getInputByName("_.parallel").setValueAttribute(" 2 ");
        com.gargoylesoftware.htmlunit.html.HtmlSelect exec = form.getSelectByName("_.exec");
        assertEquals("docker", exec.getSelectedOptions().get(0).getValueAttribute());
        submit(form);
        QuireBuilder after = p.getBuildersList().get(QuireBuilder.class);
        assertNotSame(before, after);
        assertEquals("ci/build.fnl", after.getFile());
        assertEquals("quire-test:debian", after.getImage());
        assertEquals(42, after.getTimeout());
        assertEquals("1g", after.getMemory());
        assertEquals("2", after.getParallel());
        assertEquals("docker", after.getExec());
        assertEquals(2, after.getSecrets().size());
        assertEquals("upload_token", after.getSecrets().get(0).getName());
        assertEquals(JOB_SECRET, after.getSecrets().get(0).getValue().getPlainText());
        assertEquals("other.name-2", after.getSecrets().get(1).getName());
        assertEquals("second", after.getSecrets().get(1).getValue().getPlainText());
        String xml = new String(Files.readAllBytes(new File(p.getRootDir(), "config.xml").toPath()), StandardCharsets.UTF_8);
        assertFalse(xml, xml.contains(JOB_SECRET));
        assertTrue(xml, xml.contains("<file>ci/build.fnl</file>"));
        assertTrue(xml, xml.contains("<image>quire-test:debian</image>"));
        assertTrue(xml, xml.contains("<timeout>42</timeout>"));
        assertTrue(xml, xml.contains("<memory>1g</memory>"));
        assertTrue(xml, xml.contains("<parallel>2</parallel>"));
        assertTrue(xml, xml.contains("<exec>docker</exec>"));
        assertTrue(xml, xml.contains("<name>upload_token</name>"));
        assertTrue(xml, xml.contains("<value>" + after.getSecrets().get(0).getValue().getEncryptedValue() + "</value>"));
        // and the stored form reads back after a reload from disk
        FreeStyleProject fromDisk = (FreeStyleProject) p.getConfigFile().read();
        QuireBuilder reloaded = fromDisk.getBuildersList().get(QuireBuilder.class);
        assertEquals(JOB_SECRET, reloaded.getSecrets().get(0).getValue().getPlainText());
        assertEquals("1g", reloaded.getMemory());
        assertEquals("2", reloaded.getParallel());
        assertEquals("docker", reloaded.getExec());
        // and back to the agent through the form
        HtmlForm again = formClient().getPage(p, "configure").getFormByName("config");
        again.getSelectByName("_.exec").setSelectedAttribute("agent", true);
        submit(again);
        assertEquals("agent", p.getBuildersList().get(QuireBuilder.class).getExec());
    }

    public void testAConfigXmlWithoutTheExecFieldUsesTheAgentAndGarbageFailsTheBuildNamingTheSetting()
            throws Exception {
        FreeStyleProject p = createFreeStyleProject("no-exec-field");
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, null, null, "docker"));
        p.save();
        File config = new File(p.getRootDir(), "config.xml");
        String xml = new String(Files.readAllBytes(config.toPath()), StandardCharsets.UTF_8);
        assertTrue(xml, xml.contains("<exec>docker</exec>"));
        Files.write(config.toPath(), xml.replace("<exec>docker</exec>", "").getBytes(StandardCharsets.UTF_8));
        QuireBuilder withoutField = ((FreeStyleProject) p.getConfigFile().read()).getBuildersList().get(QuireBuilder.class);
        assertEquals("agent", withoutField.getExec());
        p.getBuildersList().clear();
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, null, null, "turbo"));
        FreeStyleBuild b = p.scheduleBuild2(0).get();
        assertEquals(Result.FAILURE, b.getResult());
        String log = new String(Files.readAllBytes(b.getLogFile().toPath()), StandardCharsets.UTF_8);
        assertTrue(log, log.contains("Quire CI: exec mode setting: Exec mode 'turbo' is not an exec mode: use agent or docker"));
        assertFalse(log, log.contains("Exception"));
    }

    public void testAConfigXmlWithoutTheParallelFieldRunsFourAtOnceAndGarbageFailsTheBuildNamingTheSetting()
            throws Exception {
        FreeStyleProject p = createFreeStyleProject("no-parallel-field");
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, null, "2"));
        p.save();
        File config = new File(p.getRootDir(), "config.xml");
        String xml = new String(Files.readAllBytes(config.toPath()), StandardCharsets.UTF_8);
        assertTrue(xml, xml.contains("<parallel>2</parallel>"));
        Files.write(config.toPath(), xml.replace("<parallel>2</parallel>", "").getBytes(StandardCharsets.UTF_8));
        QuireBuilder withoutField = ((FreeStyleProject) p.getConfigFile().read()).getBuildersList().get(QuireBuilder.class);
        assertNull(withoutField.getParallel());
        assertEquals(4, io.jenkins.plugins.quire.run.ParallelJobs.parse(withoutField.getParallel(), "Parallel jobs"));
        p.getBuildersList().clear();
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, null, "lots"));
        FreeStyleBuild b = p.scheduleBuild2(0).get();
        assertEquals(Result.FAILURE, b.getResult());
        String log = new String(Files.readAllBytes(b.getLogFile().toPath()), StandardCharsets.UTF_8);
        assertTrue(log, log.contains("Quire CI: parallel jobs setting: Parallel jobs 'lots' is not a whole number from 1"
                + " to 64"));
        assertFalse(log, log.contains("Exception"));
    }

    public void testAConfigXmlWithoutTheMemoryFieldLoadsWithNoLimitAndGarbageFailsTheBuildNamingTheSetting()
            throws Exception {
        FreeStyleProject p = createFreeStyleProject("no-memory-field");
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, "512m"));
        p.save();
        File config = new File(p.getRootDir(), "config.xml");
        String xml = new String(Files.readAllBytes(config.toPath()), StandardCharsets.UTF_8);
        assertTrue(xml, xml.contains("<memory>512m</memory>"));
        Files.write(config.toPath(), xml.replace("<memory>512m</memory>", "").getBytes(StandardCharsets.UTF_8));
        QuireBuilder withoutField = ((FreeStyleProject) p.getConfigFile().read()).getBuildersList().get(QuireBuilder.class);
        assertNull(withoutField.getMemory());
        Files.write(config.toPath(), xml.replace("<memory>512m</memory>", "<memory>lots</memory>")
                .getBytes(StandardCharsets.UTF_8));
        FreeStyleProject garbage = (FreeStyleProject) p.getConfigFile().read();
        assertEquals("lots", garbage.getBuildersList().get(QuireBuilder.class).getMemory());
        p.getBuildersList().clear();
        p.getBuildersList().add(new QuireBuilder(null, null, "", null, "lots"));
        FreeStyleBuild b = p.scheduleBuild2(0).get();
        assertEquals(Result.FAILURE, b.getResult());
        String log = new String(Files.readAllBytes(b.getLogFile().toPath()), StandardCharsets.UTF_8);
        assertTrue(log, log.contains("Quire CI: memory limit setting: The memory limit 'lots' is not a memory size: use a"
                + " number with an optional unit k, m or g, such as 512m or 2g"));
        assertFalse(log, log.contains("Exception"));
    }

    public void testGlobalConfigurationRoundTripThroughConfigureSystem() throws Exception {
        QuireBuilder.DescriptorImpl d = hudson.getDescriptorByType(QuireBuilder.DescriptorImpl.class);
        List<SecretEntry> secrets = new ArrayList<>();
        secrets.add(new SecretEntry("shared_token", Secret.fromString(GLOBAL_SECRET)));
        d.setGlobal("quire-test:debian", secrets);
        HtmlPage page = formClient().goTo("configure");
        assertFalse(page.getWebResponse().getContentAsString().contains(GLOBAL_SECRET));
        HtmlForm form = page.getFormByName("config");
        assertEquals("quire-test:debian", form.getInputByName("_.defaultImage").getValueAttribute());
        form.getInputByName("_.defaultImage").setValueAttribute("quire-test:busybox");
        submit(form);
        assertEquals("quire-test:busybox", d.getDefaultImage());
        assertEquals(1, d.getGlobalSecrets().size());
        assertEquals("shared_token", d.getGlobalSecrets().get(0).getName());
        assertEquals(GLOBAL_SECRET, d.getGlobalSecrets().get(0).getValue().getPlainText());
        File stored = new File(hudson.getRootDir(), QuireBuilder.class.getName() + ".xml");
        String xml = new String(Files.readAllBytes(stored.toPath()), StandardCharsets.UTF_8);
        assertFalse(xml, xml.contains(GLOBAL_SECRET));
        assertTrue(xml, xml.contains("<defaultImage>quire-test:busybox</defaultImage>"));
        assertTrue(xml, xml.contains("<name>shared_token</name>"));
        // a fresh descriptor loads the same settings from disk
        QuireBuilder.DescriptorImpl fresh = new QuireBuilder.DescriptorImpl();
        assertEquals("quire-test:busybox", fresh.getDefaultImage());
        assertEquals(GLOBAL_SECRET, fresh.getGlobalSecrets().get(0).getValue().getPlainText());
    }

    public void testFormValidationAnswersOverHttpAndEveryFieldHasHelp() throws Exception {
        // one client for every request: each client keeps its connection open, and the harness' Jetty serves each
        // open connection with a thread of a small pool; past ~20 clients a request waits for an idle one to expire
        WebClient wc = createWebClient();
        String builder = "descriptorByName/" + QuireBuilder.class.getName() + "/";
        String secret = "descriptorByName/" + SecretEntry.class.getName() + "/";
        assertValidation(wc, builder + "checkFile?value=..%2Fetc%2Fci.fnl", "leaves the workspace");
        assertValidation(wc, builder + "checkFile?value=%2Fetc%2Fci.fnl", "relative to the workspace");
        assertValidation(wc, builder + "checkFile?value=ci%2Fmain.fnl", null);
        assertValidation(wc, builder + "checkImage?value=Debian%3Abookworm", "must be lowercase");
        assertValidation(wc, builder + "checkImage?value=debian%3A%3Abad", "Not a Docker image reference");
        assertValidation(wc, builder + "checkImage?value=registry%3A5000%2Fteam%2Fimg%3A1.2", null);
        assertValidation(wc, builder + "checkDefaultImage?value=has%20space", "cannot contain spaces");
        assertValidation(wc, builder + "checkTimeout?value=0", "at least 1 minute");
        assertValidation(wc, builder + "checkTimeout?value=ten", "whole number of minutes");
        assertValidation(wc, builder + "checkTimeout?value=30", null);
        assertValidation(wc, builder + "checkMemory?value=lots", "is not a memory size");
        assertValidation(wc, builder + "checkMemory?value=1m", "too small");
        assertValidation(wc, builder + "checkMemory?value=512m", null);
        assertValidation(wc, secret + "checkName?value=1abc", "is not a valid secret name");
        assertValidation(wc, secret + "checkName?value=", "needs a name");
        assertValidation(wc, secret + "checkName?value=upload_token", null);
        for (String field : List.of("file", "image", "timeout", "secrets", "memory", "defaultImage", "globalSecrets")) {
            String help = wc.goTo(builder + "help/" + field).getWebResponse().getContentAsString();
            assertTrue(field + ": " + help, help.contains("<div>"));
        }
        for (String field : List.of("name", "value")) {
            String help = wc.goTo(secret + "help/" + field).getWebResponse().getContentAsString();
            assertTrue(field + ": " + help, help.contains("<div>"));
        }
    }

    /** A browser for the configure forms: JavaScript on (it builds the submitted JSON), CSS off (speed). */
    private WebClient formClient() {
        WebClient wc = createWebClient();
        wc.setCssEnabled(false);
        return wc;
    }

    private static void assertValidation(WebClient wc, String url, String expectedError) throws Exception {
        String body = wc.goTo(url).getWebResponse().getContentAsString();
        if (expectedError == null) {
            assertFalse(url + " -> " + body, body.contains("class=error"));
            assertFalse(url + " -> " + body, body.contains("class=\"error\""));
        } else {
            assertTrue(url + " -> " + body, body.contains("error"));
            assertTrue(url + " -> " + body, body.contains(expectedError));
        }
    }
}
