package io.jenkins.plugins.quire.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Why: a run's JSONL files do not always live where the engine runs. Locally they are files in a folder the runner
 * owns ({@link LogsFolder}); on a Jenkins agent they are written on the controller, so the agent sends their bytes
 * through one stream ({@link StreamedLogStore}) and the controller writes them ({@link LogStreamReceiver}).
 * {@link RunLog} and {@link JobLog} only see this interface.
 */
public interface LogStore extends Closeable {
    /** Where the logs are (named in error messages; on an agent: the folder on the controller). */
    Path directory();

    /** The folders of these jobs are made now, before the container starts. */
    void declare(Collection<String> jobIds) throws IOException;

    /** Creates ({@code create}) or reopens {@code log.jsonl}. */
    SeekableByteChannel openRunFile(boolean create) throws IOException;

    /** Creates ({@code create}) or reopens {@code jobs/<id>/log.jsonl}. */
    SeekableByteChannel openJobFile(String id, boolean create) throws IOException;

    /** How a run gets its store once it knows the workspace (the runner opens it before ci.fnl is read). */
    interface Opener {
        LogStore open() throws IOException;
    }
}
