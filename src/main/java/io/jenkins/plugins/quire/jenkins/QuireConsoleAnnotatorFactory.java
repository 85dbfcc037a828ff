package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.console.ConsoleAnnotator;
import hudson.console.ConsoleAnnotatorFactory;
import hudson.model.Run;
import java.io.File;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest;

/**
 * Registers the Quire console rendering with Hudson/Jenkins, and serves {@code style.css} and {@code script.js}
 * from the resources folder named after this class. Declared on {@code Object} because Hudson 1.395 passes a
 * {@code Class} to {@link #newInstance}; the annotator decides per line from the markers alone, except for the first
 * line of a view that may start mid-line (the request tells where the view starts: {@link ConsoleViewStart}).
 */
@Extension
public class QuireConsoleAnnotatorFactory extends ConsoleAnnotatorFactory<Object> {
    @Override
    public ConsoleAnnotator newInstance(Object context) {
        return new QuireConsoleAnnotator(viewStartsAtLineStart(context));
    }

    private static boolean viewStartsAtLineStart(Object context) {
        StaplerRequest req = Stapler.getCurrentRequest();
        Run<?, ?> run = context instanceof Run ? (Run<?, ?>) context : null;
        if (run == null && req != null) run = req.findAncestorObject(Run.class);
        if (req == null || run == null) return false;
        File log = run.getLogFile();
        long offset = ConsoleViewStart.offset(req.getRequestURI(), req.getParameter("start"), log.length(),
                System.getProperty("hudson.consoleTailKB"));
        return ConsoleViewStart.atLineStart(log, offset);
    }
}
