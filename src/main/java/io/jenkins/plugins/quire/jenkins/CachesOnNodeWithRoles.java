package io.jenkins.plugins.quire.jenkins;

import java.util.Collections;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;

/**
 * Why: {@link CachesOnNode} as current Jenkins requires it (master-to-agent {@code checkRoles}); only created where
 * the remoting role types exist ({@link RemotingRoles}), never loaded on Hudson 1.395.
 */
final class CachesOnNodeWithRoles extends CachesOnNode implements RoleSensitive {
    private static final long serialVersionUID = 1L;

    CachesOnNodeWithRoles(String dockerHost, String owner, boolean clear, String path) {
        super(dockerHost, owner, clear, path);
    }

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
        checker.check(this, Collections.singletonList(Roles.SLAVE));
    }
}
