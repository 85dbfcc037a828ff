package org.jenkinsci.remoting;

import java.util.Collection;

/** Compile-only stand-in (see {@link RoleSensitive}): the one method the plugin calls. Never packaged. */
public abstract class RoleChecker {
    public abstract void check(RoleSensitive subject, Collection<Role> expected) throws SecurityException;
}
