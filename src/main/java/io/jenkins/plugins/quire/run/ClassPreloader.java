package io.jenkins.plugins.quire.run;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads (without initialising) every class of the given packages from the jar or folder the engine runs from.
 * Hudson closes a plugin's class loader while it shuts down; a run that is being aborted at that moment must not
 * need a class it never used before (an error path, an abort path). Loading a few hundred classes once per JVM
 * costs well under a second.
 */
final class ClassPreloader {
    private ClassPreloader() {}

    /** @param prefixes resource prefixes such as {@code io/jenkins/plugins/quire/run/}; returns how many loaded */
    static int preload(List<String> prefixes, List<String> excluded) {
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        int n = 0;
        for (String name : classNames(prefixes, excluded)) {
            try {
                Class.forName(name, false, loader);
                n++;
            } catch (ClassNotFoundException | LinkageError optional) {
                // a class for another environment (e.g. an optional dependency that is absent): not ours to need
            }
        }
        return n;
    }

    private static List<String> classNames(List<String> prefixes, List<String> excluded) {
        List<String> out = new ArrayList<>();
        try {
            Path source = Path.of(ClassPreloader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    files.map(p -> source.relativize(p).toString().replace('\\', '/'))
                            .forEach(p -> add(out, p, prefixes, excluded));
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) add(out, e.getName(), prefixes, excluded);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // nothing to preload from: classes load on first use as usual
        }
        return out;
    }

    private static void add(List<String> out, String path, List<String> prefixes, List<String> excluded) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class")) return;
        for (String x : excluded) if (path.startsWith(x)) return;
        for (String p : prefixes) {
            if (path.startsWith(p)) {
                out.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
                return;
            }
        }
    }
}
