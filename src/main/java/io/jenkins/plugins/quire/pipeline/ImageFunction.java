package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.LuaText;
import io.jenkins.plugins.quire.sandbox.HostFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code (ci.image name)}: checks that the name is a non-empty string of sane length without spaces or control
 * characters (the engine checks the rest when it creates the container) and records it with the call's ci.fnl line.
 */
final class ImageFunction extends HostFunction {
    /** Longest image reference: Docker allows 255 characters of repository name, plus a tag or a digest. */
    static final int MAX_LENGTH = 512;
    private final Registration registration;

    ImageFunction(Registration registration) {
        super("ci.image");
        this.registration = registration;
    }

    @Override
    protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
        registration.requireOpen("ci.image");
        if (args.narg() > 1) throw new HostError("ci.image takes 1 argument (the image name), got " + args.narg());
        LuaValue name = args.arg(1);
        if (name.type() != LuaValue.TSTRING || name.tojstring().isBlank()) {
            throw new HostError("ci.image: the image name must be a non-empty string such as \"debian:bookworm\", got "
                    + (name.type() == LuaValue.TSTRING ? "an empty string" : JobFunction.describe(name)));
        }
        String image = LuaText.hostArgument(name, "ci.image: the image name");
        if (image.length() > MAX_LENGTH) {
            throw new HostError("ci.image: the image name is too long (" + image.length() + " characters, at most "
                    + MAX_LENGTH + ")");
        }
        if (image.trim().chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new HostError("ci.image: the image name must not contain spaces or control characters, got \""
                    + image.trim().replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        registration.builder().image(image, vm.currentSourceLine());
        return LuaValue.NONE;
    }
}
