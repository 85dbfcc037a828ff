package io.jenkins.plugins.quire.fennel;

import java.io.IOException;
import java.io.InputStream;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;
import io.jenkins.plugins.quire.sandbox.ErrorTailcallCompiler;

/**
 * The bundled {@code fennel.lua} parsed once per JVM (about 150 ms) into an immutable {@link Prototype}; every
 * compilation instantiates it afresh in its own {@code Globals} (about 4 ms), so no Fennel state is shared.
 */
final class FennelPrototype {
    static final String RESOURCE = "/io/jenkins/plugins/quire/fennel/fennel.lua";

    private FennelPrototype() {}

    private static volatile Prototype proto;

    /** The parsed compiler; parses it on first use. Throws {@link IllegalStateException} if it is not bundled. */
    static Prototype get() {
        Prototype p = proto;
        if (p != null) return p;
        synchronized (FennelPrototype.class) {
            if (proto == null) proto = load();
            return proto;
        }
    }

    private static Prototype load() {
        try (InputStream in = FennelPrototype.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Fennel compiler is missing from the classpath (" + RESOURCE
                        + "); the build fetches it with scripts/fetch-fennel.sh");
            }
            Prototype p = LuaC.instance.compile(in, "@fennel.lua");
            ErrorTailcallCompiler.rewrite(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
