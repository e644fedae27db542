package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobService;
import io.kinora.api.jobs.JobSubmission;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.servlet.MultipartConfigElement;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kinora Jobs: every job with a live progress bar, cancel, downloads, an inline player, and a submit form. */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=kinora-jobs", "felix.webconsole.title=Kinora Jobs", "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class JobsPage extends ConsolePage {
    private static final long serialVersionUID = 1L;
    private static final Pattern RESULT = Pattern.compile("/result/([A-Za-z0-9-]{1,64})/([A-Za-z0-9._-]{1,128})");
    private final transient JobService jobs;
    private final transient SceneSpecReader reader;

    @Activate
    public JobsPage(@Reference JobService jobs, @Reference SceneSpecReader reader) {
        this.jobs = jobs;
        this.reader = reader;
    }

    @Override
    String label() { return "kinora-jobs"; }

    @Override
    String template() { return "jobs.html"; }

    @Override
    void get(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (sub.equals("/data.json")) {
            ArrayNode arr = json.createArrayNode();
            for (JobInfo i : jobs.list(null)) arr.add(toJson(i));
            writeJson(resp, json.createObjectNode().set("jobs", arr));
            return;
        }
        Matcher m = RESULT.matcher(sub);
        if (m.matches()) {
            Optional<Path> file = jobs.result(m.group(1), m.group(2));
            if (file.isEmpty()) {
                error(resp, 404, "job " + m.group(1) + " has no result " + m.group(2));
                return;
            }
            String n = m.group(2).toLowerCase(Locale.ROOT);
            resp.setContentType(n.endsWith(".mp4") ? "video/mp4" : n.endsWith(".png") ? "image/png"
                    : n.endsWith(".json") ? "application/json" : n.endsWith(".vtt") ? "text/vtt" : n.endsWith(".wav") ? "audio/wav" : "application/octet-stream");
            resp.setContentLengthLong(Files.size(file.get()));
            try (InputStream in = Files.newInputStream(file.get()); OutputStream out = resp.getOutputStream()) {
                in.transferTo(out);
            }
            return;
        }
        super.get(sub, req, resp);
    }

    @Override
    void post(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (sub.equals("/cancel")) {
            String id = req.getParameter("id");
            Optional<JobInfo> j = id == null ? Optional.empty() : jobs.cancel(id);
            if (j.isEmpty()) error(resp, 404, "no job " + id);
            else writeJson(resp, toJson(j.get()));
            return;
        }
        if (sub.equals("/submit")) {
            submit(req, resp);
            return;
        }
        super.post(sub, req, resp);
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // the console's own servlet registration has no multipart config: ask the container for one on this request
        req.setAttribute("org.eclipse.jetty.multipartConfig", new MultipartConfigElement(System.getProperty("java.io.tmpdir"), 64L << 20, 65L << 20, 1 << 20));
        req.setAttribute("org.eclipse.jetty.multiPartConfig", req.getAttribute("org.eclipse.jetty.multipartConfig"));
        try {
            Part image = req.getPart("image");
            Part scene = req.getPart("scene");
            if (image == null || scene == null || image.getSize() == 0 || scene.getSize() == 0) {
                error(resp, 400, "choose an image and a scene file");
                return;
            }
            SceneSpec spec;
            try (InputStream in = scene.getInputStream()) {
                spec = reader.read(in.readAllBytes(), scene.getSubmittedFileName());
            }
            byte[] bytes;
            try (InputStream in = image.getInputStream()) {
                bytes = in.readAllBytes();
            }
            String owner = req.getRemoteUser() == null ? "console" : req.getRemoteUser();
            writeJson(resp, toJson(jobs.submit(new JobSubmission(spec, bytes, image.getSubmittedFileName(), owner, 0))));
        } catch (SceneSpecException e) {
            error(resp, 400, e.getMessage());
        } catch (JobRejectedException e) {
            error(resp, e.isBusy() ? 429 : 400, e.getMessage());
        } catch (ServletException | IllegalStateException e) {
            error(resp, 400, "the upload could not be read: " + e.getMessage());
        }
    }

    ObjectNode toJson(JobInfo i) {
        ObjectNode o = json.createObjectNode();
        o.put("id", i.id()).put("owner", i.owner()).put("state", i.state().name()).put("priority", i.priority())
                .put("scheduler", i.scheduler())
                .put("submitted", String.valueOf(i.submitted())).put("progress", i.progress());
        if (i.stage() != null) o.put("stage", i.stage());
        if (i.etaSeconds() != null) o.put("eta", i.etaSeconds());
        if (i.error() != null) o.put("error", i.error());
        ArrayNode r = o.putArray("results");
        i.results().forEach(r::add);
        return o;
    }
}
