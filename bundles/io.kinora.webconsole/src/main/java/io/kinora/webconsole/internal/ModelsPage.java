package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.servlet.MultipartConfigElement;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kinora Models: every version with its state, jobs and reason; each family's traffic split; activate, canary,
 * follow latest, roll back, upload a model jar, uninstall.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=kinora-models", "felix.webconsole.title=Kinora Models", "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class ModelsPage extends ConsolePage {
    private static final long serialVersionUID = 1L;
    private final transient List<VideoModel> models = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ModelRegistry registry;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModel(VideoModel m) { models.add(m); }

    void removeModel(VideoModel m) { models.remove(m); }

    @Override
    String label() { return "kinora-models"; }

    @Override
    String template() { return "models.html"; }

    @Override
    void get(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!sub.equals("/data.json")) {
            super.get(sub, req, resp);
            return;
        }
        ObjectNode root = json.createObjectNode();
        ArrayNode arr = root.putArray("models");
        ArrayNode policies = root.putArray("policies");
        ModelRegistry r = registry;
        if (r == null) {
            models.stream().map(VideoModel::info).sorted(Comparator.comparing(ModelInfo::id).thenComparing(ModelInfo::version))
                    .forEach(i -> arr.addObject().put("id", i.id()).put("version", i.version()).put("family", i.family())
                            .put("state", "READY").put("description", i.description()));
        } else {
            Set<String> families = new TreeSet<>();
            for (ModelVersion v : r.versions()) {
                families.add(v.info().family());
                ObjectNode o = arr.addObject().put("id", v.info().id()).put("version", v.info().version())
                        .put("family", v.info().family()).put("state", v.state().name()).put("description", v.info().description())
                        .put("leases", v.activeLeases()).put("jobs", v.completedJobs()).put("failed", v.failedJobs());
                if (v.installToReadyMillis() > 0) o.put("readyMillis", v.installToReadyMillis());
                if (v.reason() != null) o.put("reason", v.reason());
            }
            for (String f : families) policies.addObject().put("family", f).put("text", r.policy(f).describe());
        }
        writeJson(resp, root);
    }

    @Override
    void post(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ModelRegistry r = registry;
        if (r == null) {
            error(resp, 503, "the model registry is not running");
            return;
        }
        try {
            switch (sub) {
                case "/activate" -> writeJson(resp, json.createObjectNode().put("text", r.activate(param(req, "family"), param(req, "version")).describe()));
                case "/latest" -> writeJson(resp, json.createObjectNode().put("text", r.followLatest(param(req, "family")).describe()));
                case "/canary" -> writeJson(resp, json.createObjectNode().put("text", r.canary(param(req, "family"),
                        param(req, "version"), Integer.parseInt(param(req, "percent"))).describe()));
                case "/rollback" -> writeJson(resp, json.createObjectNode().put("text", r.rollback(param(req, "family"),
                        "rolled back from the Web Console by " + (req.getRemoteUser() == null ? "an operator" : req.getRemoteUser())).describe()));
                case "/uninstall" -> {
                    int open = r.uninstall(param(req, "id"), param(req, "version"), java.time.Duration.ofSeconds(600));
                    writeJson(resp, json.createObjectNode().put("text", "uninstalled" + (open > 0 ? " (" + open + " jobs were still running)" : "")));
                }
                case "/upload" -> upload(req, resp, r);
                default -> super.post(sub, req, resp);
            }
        } catch (ModelException | IllegalArgumentException e) {
            error(resp, 409, e.getMessage());
        }
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp, ModelRegistry r) throws IOException {
        req.setAttribute("org.eclipse.jetty.multipartConfig", new MultipartConfigElement(System.getProperty("java.io.tmpdir"), 2L << 30, 2L << 30, 1 << 20));
        req.setAttribute("org.eclipse.jetty.multiPartConfig", req.getAttribute("org.eclipse.jetty.multipartConfig"));
        try {
            Part file = req.getPart("file");
            if (file == null || file.getSize() == 0) {
                error(resp, 400, "choose a model bundle jar");
                return;
            }
            ModelVersion v;
            try (InputStream in = file.getInputStream()) {
                v = r.install(in, file.getSubmittedFileName() == null ? "model.jar" : file.getSubmittedFileName());
            }
            writeJson(resp, json.createObjectNode().put("text", "installed " + v.key() + " (" + v.state() + "); it takes traffic once READY"));
        } catch (ServletException | IllegalStateException e) {
            error(resp, 400, "the upload could not be read: " + e.getMessage());
        }
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("the parameter '" + name + "' is required");
        return v;
    }
}
