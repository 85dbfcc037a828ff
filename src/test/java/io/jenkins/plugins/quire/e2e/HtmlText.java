package io.jenkins.plugins.quire.e2e;

import java.util.regex.Pattern;

/**
 * The text a browser would show for a piece of server-rendered HTML (tags dropped, the entities Hudson and Jelly
 * emit decoded), so assertions about page content do not depend on which characters a renderer chose to escape.
 */
final class HtmlText {
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private HtmlText() {}

    static String of(String html) {
        String s = TAG.matcher(html.replace("<br>", "\n")).replaceAll("");
        return s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#039;", "'").replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
    }
}
