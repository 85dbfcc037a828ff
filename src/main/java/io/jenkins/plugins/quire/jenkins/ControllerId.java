package io.jenkins.plugins.quire.jenkins;

import hudson.model.Hudson;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Why: several controllers (and their agents) may share one Docker engine, and a leftover sweep must only judge its
 * own controller's containers (docs/architecture.md, Sweep). This names the controller for the
 * {@code io.quire.controller} label: its root URL when one is configured, else its host and home directory, which
 * tell two controllers apart even on one machine.
 */
final class ControllerId {
    private ControllerId() { }

    /** This controller's id; computed on the controller and handed to wherever the engine runs. */
    static String current() {
        Hudson h = Hudson.getInstance();
        String root = h == null ? null : h.getRootUrl();
        if (root != null && !root.isBlank()) return root;
        File home = h == null ? null : h.getRootDir();
        return of(hostName(), home == null ? null : home.getAbsolutePath());
    }

    /** The id of a controller without a root URL, from its host and home directory. */
    static String of(String host, String home) {
        return "hudson:" + (host == null || host.isBlank() ? "localhost" : host) + (home == null ? "" : ":" + home);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
