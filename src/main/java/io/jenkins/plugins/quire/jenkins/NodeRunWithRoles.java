package io.jenkins.plugins.quire.jenkins;

import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;

/**
 * Why: {@link NodeRun} as current Jenkins requires it: it declares that it runs on the agent side
 * ({@code checkRoles}, master-to-agent). Only created where the remoting role types exist ({@link RemotingRoles});
 * never loaded on Hudson 1.395.
 */
final class NodeRunWithRoles extends NodeRun implements RoleSensitive {
    private static final long serialVersionUID = 1L;

    NodeRunWithRoles(String key, String displayName, QuireBuilder step, QuireBuilder.DescriptorImpl global,
            String logsDir, Map<String, String> environment, Owners owners, OutputStream logs, OutputStream console) {
        super(key, displayName, step, global, logsDir, environment, owners, logs, console);
    }

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
        checker.check(this, Collections.singletonList(Roles.SLAVE));
    }
}
