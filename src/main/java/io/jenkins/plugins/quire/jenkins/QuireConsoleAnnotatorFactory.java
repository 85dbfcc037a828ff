package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.console.ConsoleAnnotator;
import hudson.console.ConsoleAnnotatorFactory;

/**
 * Registers the Quire console rendering with Hudson/Jenkins, and serves {@code style.css} and {@code script.js}
 * from the resources folder named after this class. Declared on {@code Object} because Hudson 1.395 passes a
 * {@code Class} to {@link #newInstance} (not a build); the argument is ignored and the
 * annotator decides per line from the markers alone.
 */
@Extension
public class QuireConsoleAnnotatorFactory extends ConsoleAnnotatorFactory<Object> {
    @Override
    public ConsoleAnnotator newInstance(Object context) {
        return new QuireConsoleAnnotator();
    }
}
