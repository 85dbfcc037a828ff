package org.jenkinsci.remoting;

/** Compile-only stand-in (see {@link RoleSensitive}). Never packaged. */
public final class Role {
    private final String name;

    public Role(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }
}
