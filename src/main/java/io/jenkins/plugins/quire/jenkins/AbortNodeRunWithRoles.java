package io.jenkins.plugins.quire.jenkins;

import java.util.Collections;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;

/**
 * Why: {@link AbortNodeRun} as current Jenkins requires it (master-to-agent {@code checkRoles}); only created where
 * the remoting role types exist ({@link RemotingRoles}), never loaded on Hudson 1.395.
 */
final class AbortNodeRunWithRoles extends AbortNodeRun implements RoleSensitive {
    private static final long serialVersionUID = 1L;

    AbortNodeRunWithRoles(String key, String reason) {
        super(key, reason);
    }

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
        checker.check(this, Collections.singletonList(Roles.SLAVE));
    }
}
