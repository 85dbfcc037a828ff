package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * Why: an {@link IOException} from java.nio names its file but says what went wrong only through its class
 * ({@code FileAlreadyExistsException: /tmp/x}); printed as it is, a user reads a Java class name. This turns the
 * common ones into words, with the file, once for every message the host shows (console, run-end reason, CLI).
 */
public final class IoErrors {
    private IoErrors() { }

    public static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            String file = fse.getFile() == null ? "a file" : fse.getFile();
            String other = fse.getOtherFile() == null ? "" : " (and " + fse.getOtherFile() + ")";
            String what;
            if (e instanceof NoSuchFileException) what = "does not exist";
            else if (e instanceof FileAlreadyExistsException) what = "already exists (and is in the way)";
            else if (e instanceof NotDirectoryException) what = "is not a folder";
            else if (e instanceof DirectoryNotEmptyException) what = "is not empty";
            else if (e instanceof AccessDeniedException) what = "cannot be accessed: permission denied";
            else if (e instanceof NotLinkException) what = "is not a link";
            else what = fse.getReason() == null ? "cannot be used" : "cannot be used: " + fse.getReason();
            return file + other + " " + what;
        }
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? "input/output error" : msg;
    }
}
