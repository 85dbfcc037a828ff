package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built quire-ci.hpi installs cleanly in the real hudson.war 1.395: loaded, active, described, no errors. */
class PluginInstallsIT {
    private static HudsonServer hudson;

    @BeforeAll
    static void start() throws Exception {
        hudson = HudsonServer.startWithPlugin("install");
    }

    @AfterAll
    static void stop() {
        if (hudson != null) hudson.close();
    }

    @Test
    void pluginIsLoadedAndActive() throws Exception {
        String out = hudson.script("def p = hudson.model.Hudson.instance.pluginManager.getPlugin('quire-ci')\n"
                + "println(p == null ? 'missing' : p.shortName + ' ' + p.longName + ' active=' + p.isActive())\n"
                + "println('failed=' + hudson.model.Hudson.instance.pluginManager.failedPlugins.size())\n"
                + "println('index=' + (p?.indexPage != null))");
        assertTrue(out.contains("quire-ci Quire CI active=true"), out);
        assertTrue(out.contains("failed=0"), out);
        assertTrue(out.contains("index=true"), "index.jelly describes the plugin: " + out);
    }

    @Test
    void pluginManagerListsTheDescription() throws Exception {
        var page = hudson.get("/pluginManager/installed");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Quire CI"), "plugin manager lists Quire CI");
        assertTrue(page.body().contains("code-defined pipelines written in Fennel"), "index.jelly text shown");
    }

    @Test
    void serverLogHasNoErrorAboutThePlugin() throws Exception {
        String log = Files.readString(hudson.log());
        assertFalse(log.contains("Failed to load") && log.contains("quire"), HudsonServer.tail(hudson.log()));
        assertFalse(log.contains("SEVERE") && log.toLowerCase().contains("quire"), HudsonServer.tail(hudson.log()));
    }
}
