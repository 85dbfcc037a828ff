package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Why: the exec user is resolved as {@code docker exec} would, from the image's {@code /etc/passwd} and
 * {@code /etc/group} (docs/exec-agent.md, "Who runs the command"), read through Docker's archive API so that no
 * process has to run for it. That API hands a symbolic link over as a link, where {@code docker exec} follows it; and
 * a file that is not there (404) is not an engine that fails. This reads a small text file of a container the way
 * {@code docker exec} sees it: links followed (relative ones from the link's folder, at most {@value #MAX_LINKS}),
 * null only when the file really is missing (a dangling link included), a {@link ContainerException} naming the path
 * for anything else (an engine error, a directory, a file over 1 MiB), never a silent "no file".
 */
final class ContainerTextFile {
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_LINKS = 8;

    private ContainerTextFile() { }

    /** The file's text (UTF-8), or null when the container has no such file. */
    static String read(DockerClient docker, DockerCalls calls, String containerId, String path) {
        String at = path;
        for (int links = 0; ; links++) {
            String p = at;
            AgentTar.Entry e = calls.call("read " + p, () -> {
                try (InputStream in = docker.copyArchiveFromContainerCmd(containerId, p).exec()) {
                    return AgentTar.firstEntry(in, MAX_BYTES);
                } catch (NotFoundException missing) {
                    return null;
                } catch (AgentTar.FormatException bad) {   // the engine answered, with something else than a tar
                    throw new ContainerException("cannot read " + path + " of the container: " + bad.getMessage());
                }
            });
            if (e == null) return null;
            if (e.linkTarget() != null) {
                if (links == MAX_LINKS)
                    throw new ContainerException("cannot read " + path + " of the container: more than " + MAX_LINKS
                            + " symbolic links");
                at = resolve(p, e.linkTarget());
                continue;
            }
            if (e.content() == null)
                throw new ContainerException("cannot read " + path + " of the container: "
                        + (p.equals(path) ? "it" : p) + " is " + e.describe()
                        + (e.type() == '0' ? " (the limit is 1 MiB)" : ""));
            return new String(e.content(), StandardCharsets.UTF_8);
        }
    }

    /** Where a link at {@code linkPath} pointing to {@code target} leads, as an absolute path of the container. */
    static String resolve(String linkPath, String target) {
        String base = target.startsWith("/") ? target : linkPath.substring(0, linkPath.lastIndexOf('/') + 1) + target;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : base.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
