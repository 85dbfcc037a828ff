package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why: execs run as the uid:gid owning the workspace by default, so files the build creates through the bind
 * mount stay owned by (and deletable for) whoever owns the workspace on the host.
 */
final class WorkspaceOwner {
    private WorkspaceOwner() { }

    /** "uid:gid" of the directory, e.g. "1000:1000". */
    static String of(Path workspace) {
        try {
            Object uid = Files.getAttribute(workspace, "unix:uid");
            Object gid = Files.getAttribute(workspace, "unix:gid");
            return uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException e) {
            throw new ContainerException("cannot read the owner of workspace '" + workspace + "': " + e.getMessage()
                    + " (set the exec user explicitly)", e);
        }
    }
}
