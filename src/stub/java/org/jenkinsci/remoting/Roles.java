package org.jenkinsci.remoting;

/** Compile-only stand-in (see {@link RoleSensitive}): the agent side's role. Never packaged. */
public final class Roles {
    public static final Role SLAVE = new Role("slave");

    private Roles() {}
}
