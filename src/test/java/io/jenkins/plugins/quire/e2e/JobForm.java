package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Saves a job's configuration the way the browser's "Save" button does ({@code POST /job/NAME/configSubmit} with
 * {@code json=...&Submit=Save}): used for secrets, so their values reach Hudson only through
 * the form and the job's config.xml on disk is whatever Hudson itself writes (encrypted values).
 */
final class JobForm {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobForm() {}

    /** Replaces the job's build steps with one "Run Quire CI pipeline" step carrying {@code secrets}. */
    static void saveQuireStep(HudsonServer hudson, String job, String file, String image, int timeoutMinutes,
            Map<String, String> secrets) throws IOException, InterruptedException {
        ObjectNode form = JSON.createObjectNode();
        form.put("name", job);
        form.put("description", "Quire CI end-to-end test job (saved through the form)");
        ObjectNode step = form.putObject("builder");
        step.put("kind", FreestyleJobXml.QUIRE_BUILDER + "$DescriptorImpl");
        step.put("stapler-class", FreestyleJobXml.QUIRE_BUILDER);
        step.put("file", file);
        step.put("image", image == null ? "" : image);
        step.put("timeout", Integer.toString(timeoutMinutes));
        ArrayNode rows = step.putArray("secrets");
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            ObjectNode row = rows.addObject();
            row.put("name", s.getKey());
            row.put("value", s.getValue());
        }
        String body = "json=" + HudsonJobs.enc(JSON.writeValueAsString(form)) + "&Submit=Save";
        HttpResponse<String> r = hudson.post("/job/" + job + "/configSubmit", "application/x-www-form-urlencoded", body);
        assertEquals(302, r.statusCode(), "configSubmit " + job + ": " + HudsonJobs.abbreviate(r.body()));
    }
}
