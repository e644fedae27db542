package io.kinora.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobService;
import io.kinora.api.jobs.JobSubmission;
import io.kinora.api.media.StageException;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceService;
import io.kinora.api.scene.Problem;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API under {@code /kinora/api/v1} (see {@code openapi.json}): jobs (submit, list, status, cancel,
 * results), verify, voices, models. A thin adapter over the API services; JSON through a private Jackson.
 */
@Component(service = Servlet.class, configurationPid = RestConfig.PID, immediate = true)
@Designate(ocd = RestConfig.class)
@HttpWhiteboardContextSelect(KinoraRestContext.SELECT)
@HttpWhiteboardServletPattern("/api/*")
// maxRequestSize given here too: the annotation's own default (-1, unlimited) would otherwise be the service property
// RestConfig reads, whatever RestConfig's default says
@HttpWhiteboardServletMultipart(enabled = true, fileSizeThreshold = 1024 * 1024, maxFileSize = 64L * 1024 * 1024,
        maxRequestSize = 64L * 1024 * 1024)
public final class KinoraApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KinoraApiServlet.class);
    private static final Pattern JOB = Pattern.compile("/v1/jobs/([A-Za-z0-9-]{1,64})");
    private static final Pattern CANCEL = Pattern.compile("/v1/jobs/([A-Za-z0-9-]{1,64})/cancel");
    private static final Pattern MODEL_OP = Pattern.compile("/v1/models/([A-Za-z0-9._-]{1,64})/(activate|latest|canary|rollback|pin-tenant|[a-z-]{1,20})");
    private static final Pattern MODEL_VERSION = Pattern.compile("/v1/models/([A-Za-z0-9._-]{1,64})/versions/([A-Za-z0-9._-]{1,64})");
    private static final Pattern RESULT = Pattern.compile("/v1/jobs/([A-Za-z0-9-]{1,64})/results/([A-Za-z0-9._-]{1,128})");

    private final transient JobService jobs;
    private final transient SceneSpecReader reader;
    private final transient ProvenanceService provenance;
    private final transient VoiceService voices;
    private final transient List<VideoModel> models = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ModelRegistry registry;
    private final transient ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private transient volatile Authenticator auth;
    private transient volatile HostUsers hostUsers;
    private transient volatile RestConfig config;
    /** The host's authentication service (Sling / AEM), tracked by name: this bundle does not import Sling. */
    private final transient ServiceTracker<Object, Object> hostAuthentication;

    @Activate
    public KinoraApiServlet(@Reference JobService jobs, @Reference SceneSpecReader reader,
                            @Reference ProvenanceService provenance, @Reference VoiceService voices, RestConfig config,
                            BundleContext context) {
        this.jobs = jobs;
        this.reader = reader;
        this.provenance = provenance;
        this.voices = voices;
        ServiceTracker<Object, Object> t = null;
        if (context != null) {
            try {
                t = new ServiceTracker<>(context, FrameworkUtil.createFilter("(objectClass=" + HostUsers.SLING_AUTHENTICATION_SUPPORT + ")"), null);
                t.open(true);
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        this.hostAuthentication = t;
        modified(config);
    }

    @Deactivate
    void deactivate() {
        if (hostAuthentication != null) hostAuthentication.close();
    }

    @Modified
    void modified(RestConfig config) {
        Authenticator a = new Authenticator(config.users(), config.tokens(), config.anonymous_role(), config.auth_cache_seconds());
        a.problems().forEach(p -> LOG.error("REST API configuration ({}): {}", RestConfig.PID, p));
        HostUsers h = new HostUsers(config.host_authentication(), config.host_operators(), config.host_creators());
        h.problem().ifPresent(p -> LOG.warn("REST API configuration ({}): {}", RestConfig.PID, p));
        if (!a.anyoneConfigured() && !h.enabled()) {
            LOG.warn("REST API: no users, tokens, host users or anonymous role are configured ({}): every request is refused with 401", RestConfig.PID);
        }
        this.auth = a;
        this.hostUsers = h;
        this.config = config;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModel(VideoModel m) { models.add(m); }

    void removeModel(VideoModel m) { models.remove(m); }

    /** When the current request entered {@link #service}, for the Server-Timing header (0: no header). */
    private static final ThreadLocal<long[]> STARTED = ThreadLocal.withInitial(() -> new long[1]);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long[] started = STARTED.get();
        started[0] = config.server_timing() ? System.nanoTime() : 0;
        try {
            serve(req, resp);
        } finally {
            started[0] = 0;
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String method = req.getMethod();
        try {
            if (path.equals("/v1/openapi.json") && method.equals("GET")) {
                openapi(resp);
                return;
            }
            String authorization = req.getHeader("Authorization");
            Optional<Principal> who = authorization == null ? Optional.empty() : auth.authenticate(authorization);
            HostUsers host = hostUsers;
            if (who.isEmpty() && host.enabled()) {
                HostUsers.Outcome o = host.authenticate(req, resp, hostAuthentication == null ? null : hostAuthentication.getService());
                if (o.responded()) return; // the host challenged the caller itself (login form, 401)
                if (o.unmappedUser() != null) {
                    error(resp, 403, "host user '" + o.unmappedUser() + "' has no Kinora role (" + RestConfig.PID + ": host.operators, host.creators)");
                    return;
                }
                who = o.principal();
            }
            if (who.isEmpty() && authorization == null) who = auth.authenticate(null); // the anonymous role, if configured
            if (who.isEmpty()) {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"Kinora\", Bearer");
                error(resp, 401, "authentication required: HTTP Basic or a bearer token (see " + RestConfig.PID + ")");
                return;
            }
            Principal p = who.get();
            Matcher m;
            if (path.equals("/v1/jobs")) {
                if (method.equals("POST")) submit(req, resp, p);
                else if (method.equals("GET")) list(resp, p);
                else notAllowed(resp, "GET, POST");
            } else if ((m = CANCEL.matcher(path)).matches()) {
                if (method.equals("POST")) cancel(resp, p, m.group(1));
                else notAllowed(resp, "POST");
            } else if ((m = RESULT.matcher(path)).matches()) {
                if (method.equals("GET") || method.equals("HEAD")) download(req, resp, p, m.group(1), m.group(2));
                else notAllowed(resp, "GET");
            } else if ((m = JOB.matcher(path)).matches()) {
                if (method.equals("GET")) status(resp, p, m.group(1));
                else if (method.equals("DELETE")) cancel(resp, p, m.group(1));
                else notAllowed(resp, "GET, DELETE");
            } else if (path.equals("/v1/verify")) {
                if (method.equals("POST")) verify(req, resp);
                else notAllowed(resp, "POST");
            } else if (path.equals("/v1/voices") && method.equals("GET")) {
                voiceList(resp);
            } else if (path.equals("/v1/models")) {
                if (method.equals("GET")) modelList(resp);
                else if (method.equals("POST")) operator(p, () -> installModel(req, resp));
                else notAllowed(resp, "GET, POST");
            } else if ((m = MODEL_OP.matcher(path)).matches()) {
                if (!method.equals("POST")) notAllowed(resp, "POST");
                else {
                    Matcher op = m;
                    operator(p, () -> modelOperation(req, resp, op.group(1), op.group(2)));
                }
            } else if ((m = MODEL_VERSION.matcher(path)).matches()) {
                if (!method.equals("DELETE")) notAllowed(resp, "DELETE");
                else {
                    Matcher v = m;
                    operator(p, () -> uninstallModel(req, resp, v.group(1), v.group(2)));
                }
            } else {
                error(resp, 404, "no such resource: " + method + " /kinora/api" + path + " (see /kinora/api/v1/openapi.json)");
            }
        } catch (BadRequest e) {
            if (e.status == 413) discardUnread(req, resp);
            error(resp, e.status, e.getMessage());
        } catch (RuntimeException | ServletException e) {
            LOG.error("{} {} failed", method, path, e);
            error(resp, 500, "internal error (details in the server log)");
        } finally {
            HostUsers.release(req);
        }
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp, Principal p) throws IOException, ServletException, BadRequest {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new BadRequest(415, "submit as multipart/form-data with the parts 'image' (the picture) and 'scene' (the SceneSpec JSON)");
        }
        long max = config.osgi_http_whiteboard_servlet_multipart_maxRequestSize();
        if (max > 0 && req.getContentLengthLong() > max) {
            // refused before a byte is read (the container's own check comes only while it parses the parts)
            throw new BadRequest(413, "the upload is " + req.getContentLengthLong() + " bytes; the limit is " + max
                    + " (" + RestConfig.PID + ", osgi.http.whiteboard.servlet.multipart.maxRequestSize)");
        }
        Part image;
        Part scenePart;
        try {
            image = req.getPart("image");
            scenePart = req.getPart("scene");
        } catch (IllegalStateException | ServletException | IOException e) {
            throw unreadableUpload(e, max);
        }
        if (image == null) throw new BadRequest(400, "the part 'image' is missing");
        if (scenePart == null) throw new BadRequest(400, "the part 'scene' (SceneSpec JSON) is missing");
        if (scenePart.getSize() > config.max_scene_bytes()) {
            throw new BadRequest(413, "scene: " + scenePart.getSize() + " bytes; the limit is " + config.max_scene_bytes());
        }
        SceneSpec scene;
        try (InputStream in = scenePart.getInputStream()) {
            scene = reader.read(in.readAllBytes(), "scene");
        } catch (SceneSpecException e) {
            resp.setStatus(400);
            ObjectNode o = errorBody(400, e.getMessage().split("\n")[0]);
            ArrayNode arr = o.putArray("problems");
            for (Problem pr : e.problems()) arr.addObject().put("field", pr.field()).put("message", pr.message());
            write(resp, o);
            return;
        }
        byte[] bytes;
        try (InputStream in = image.getInputStream()) {
            bytes = in.readAllBytes();
        }
        String name = image.getSubmittedFileName() == null ? "image.png" : image.getSubmittedFileName();
        int priority = 0;
        String pr = req.getParameter("priority");
        if (pr != null) {
            try {
                priority = Integer.parseInt(pr);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "priority must be a whole number, was '" + pr + "'");
            }
            if (!p.isOperator() && priority > 0) throw new BadRequest(403, "only operators may raise a job's priority");
        }
        try {
            JobInfo info = jobs.submit(new JobSubmission(scene, bytes, name, p.name(), priority));
            resp.setStatus(202);
            resp.setHeader("Location", "/kinora/api/v1/jobs/" + info.id());
            write(resp, job(info));
        } catch (JobRejectedException e) {
            if (e.isBusy()) {
                resp.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
                throw new BadRequest(429, e.getMessage());
            }
            throw new BadRequest(400, e.getMessage());
        }
    }

    private void list(HttpServletResponse resp, Principal p) throws IOException {
        ArrayNode arr = json.createArrayNode();
        for (JobInfo i : jobs.list(p.isOperator() ? null : p.name())) arr.add(job(i));
        ObjectNode o = json.createObjectNode();
        o.set("jobs", arr);
        write(resp, o);
    }

    private JobInfo visibleJob(Principal p, String id) throws BadRequest {
        Optional<JobInfo> j = jobs.get(id);
        // another creator's job is reported as absent: its existence is none of the caller's business
        if (j.isEmpty() || !p.mayAccessJobOf(j.get().owner())) throw new BadRequest(404, "no job " + id);
        return j.get();
    }

    private void status(HttpServletResponse resp, Principal p, String id) throws IOException, BadRequest {
        write(resp, job(visibleJob(p, id)));
    }

    private void cancel(HttpServletResponse resp, Principal p, String id) throws IOException, BadRequest {
        JobInfo before = visibleJob(p, id);
        if (before.state().isFinal()) {
            throw new BadRequest(409, "job " + id + " has already ended (" + before.state() + "); nothing to cancel");
        }
        write(resp, job(jobs.cancel(id).orElse(before)));
    }

    private void download(HttpServletRequest req, HttpServletResponse resp, Principal p, String id, String name) throws IOException, BadRequest {
        JobInfo info = visibleJob(p, id);
        Path file = jobs.result(id, name).orElseThrow(() -> new BadRequest(404, "job " + id + " has no result '" + name
                + "'" + (info.state().isFinal() ? "" : " yet (it is " + info.state() + ")")));
        long size = Files.size(file);
        resp.setContentType(contentType(name));
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setHeader("Content-Disposition", (name.endsWith(".mp4") || name.endsWith(".png") ? "inline" : "attachment") + "; filename=\"" + name + "\"");
        long from = 0;
        long to = size - 1;
        String range = req.getHeader("Range");
        if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
            String[] r = range.substring(6).split("-", -1);
            try {
                if (r[0].isEmpty()) {
                    from = Math.max(0, size - Long.parseLong(r[1]));
                } else {
                    from = Long.parseLong(r[0]);
                    if (!r[1].isEmpty()) to = Math.min(size - 1, Long.parseLong(r[1]));
                }
            } catch (NumberFormatException e) {
                throw new BadRequest(416, "Range '" + range + "' is not understood");
            }
            if (from > to || from >= size) {
                resp.setHeader("Content-Range", "bytes */" + size);
                throw new BadRequest(416, "Range '" + range + "' is outside the file (" + size + " bytes)");
            }
            resp.setStatus(206);
            resp.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        long length = to - from + 1;
        resp.setContentLengthLong(length);
        if (req.getMethod().equals("HEAD")) return;
        try (InputStream in = Files.newInputStream(file); OutputStream out = resp.getOutputStream()) {
            in.skipNBytes(from);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private void verify(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException, BadRequest {
        String type = req.getContentType();
        Path tmp = Files.createTempFile("kinora-verify-", ".mp4");
        try {
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                Part file;
                long max = config.osgi_http_whiteboard_servlet_multipart_maxRequestSize();
                if (max > 0 && req.getContentLengthLong() > max) {
                    throw new BadRequest(413, "the upload is " + req.getContentLengthLong() + " bytes; the limit is " + max
                            + " (" + RestConfig.PID + ", osgi.http.whiteboard.servlet.multipart.maxRequestSize)");
                }
                try {
                    file = req.getPart("file");
                } catch (IllegalStateException | ServletException | IOException e) {
                    throw unreadableUpload(e, max);
                }
                if (file == null) throw new BadRequest(400, "the part 'file' is missing");
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try (InputStream in = req.getInputStream()) {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            List<LayerStatus> layers;
            try {
                layers = provenance.verify(tmp);
            } catch (StageException e) {
                throw new BadRequest(422, e.getMessage().replace(tmp.toString(), "the uploaded file"));
            }
            ObjectNode o = json.createObjectNode();
            ArrayNode arr = o.putArray("layers");
            for (LayerStatus l : layers) arr.addObject().put("layer", l.layer()).put("present", l.present()).put("detail", l.detail());
            write(resp, o);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void voiceList(HttpServletResponse resp) throws IOException {
        ArrayNode arr = json.createArrayNode();
        for (VoiceInfo v : voices.voices()) {
            ObjectNode o = arr.addObject().put("id", v.id()).put("engine", v.engine()).put("description", v.description())
                    .put("gender", v.gender()).put("age", v.age()).put("preview", v.previewText());
            ArrayNode langs = o.putArray("languages");
            v.languages().forEach(langs::add);
        }
        ObjectNode o = json.createObjectNode();
        o.set("voices", arr);
        write(resp, o);
    }

    /** An action only operators may take. */
    private interface Action {
        void run() throws IOException, ServletException, BadRequest;
    }

    private void operator(Principal p, Action a) throws IOException, ServletException, BadRequest {
        if (!p.isOperator()) throw new BadRequest(403, "only operators may change models");
        a.run();
    }

    private ModelRegistry registry() throws BadRequest {
        ModelRegistry r = registry;
        if (r == null) throw new BadRequest(503, "the model registry is not running");
        return r;
    }

    private void modelOperation(HttpServletRequest req, HttpServletResponse resp, String family, String op) throws IOException, BadRequest {
        ModelRegistry r = registry();
        RoutingPolicy policy;
        try {
            policy = switch (op) {
                case "activate" -> r.activate(family, required(req, "version"));
                case "latest" -> r.followLatest(family);
                case "canary" -> r.canary(family, required(req, "candidate"), percent(required(req, "percent")));
                case "rollback" -> r.rollback(family, req.getParameter("reason") == null ? "rolled back through the REST API" : req.getParameter("reason"));
                case "pin-tenant" -> r.pinTenant(family, required(req, "tenant"), req.getParameter("version"));
                default -> throw new BadRequest(404, "no model operation '" + op + "' (activate, latest, canary, rollback, pin-tenant)");
            };
        } catch (ModelException | IllegalArgumentException e) {
            throw new BadRequest(409, e.getMessage());
        }
        write(resp, policyJson(policy));
    }

    private void installModel(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException, BadRequest {
        ModelRegistry r = registry();
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
        ModelVersion v;
        try {
            if (type.startsWith("multipart/form-data")) {
                long max = config.osgi_http_whiteboard_servlet_multipart_maxRequestSize();
                if (max > 0 && req.getContentLengthLong() > max) {
                    throw new BadRequest(413, "the upload is " + req.getContentLengthLong() + " bytes; the limit is " + max
                            + " (" + RestConfig.PID + ", osgi.http.whiteboard.servlet.multipart.maxRequestSize)");
                }
                Part file;
                try {
                    file = req.getPart("file");
                } catch (IllegalStateException | ServletException | IOException e) {
                    throw unreadableUpload(e, max);
                }
                if (file == null) throw new BadRequest(400, "the part 'file' (a model bundle jar) is missing");
                try (InputStream in = file.getInputStream()) {
                    v = r.install(in, file.getSubmittedFileName() == null ? "model.jar" : file.getSubmittedFileName());
                }
            } else {
                long max = config.max_model_bytes();
                long declared = req.getContentLengthLong();
                if (declared > max) {
                    throw new BadRequest(413, "the model jar is " + declared + " bytes; the limit is " + max
                            + " (io.kinora.rest, max.model.bytes)");
                }
                try (InputStream in = new Bounded(req.getInputStream(), max)) {
                    v = r.install(in, req.getParameter("name") == null ? "model.jar" : req.getParameter("name"));
                } catch (ModelException e) {
                    if (e.getCause() instanceof Bounded.TooLarge) {
                        throw new BadRequest(413, "the model jar is larger than the limit of " + max + " bytes (io.kinora.rest, max.model.bytes)");
                    }
                    throw e;
                }
            }
        } catch (ModelException e) {
            throw new BadRequest(422, e.getMessage());
        }
        resp.setStatus(202);
        write(resp, versionJson(v));
    }

    private void uninstallModel(HttpServletRequest req, HttpServletResponse resp, String id, String version) throws IOException, BadRequest {
        ModelRegistry r = registry();
        int seconds = 600;
        if (req.getParameter("timeout") != null) {
            try {
                seconds = Integer.parseInt(req.getParameter("timeout"));
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "timeout must be whole seconds");
            }
        }
        int open;
        try {
            open = r.uninstall(id, version, java.time.Duration.ofSeconds(seconds));
        } catch (ModelException e) {
            throw new BadRequest(409, e.getMessage());
        }
        write(resp, json.createObjectNode().put("uninstalled", id + ":" + version).put("openLeases", open));
    }

    /**
     * A multipart body the container could not parse: over a size limit (a chunked upload has no length to check
     * first; containers say so with an IllegalStateException or a wrapped one) or malformed. Never a 500.
     */
    static BadRequest unreadableUpload(Exception e, long max) {
        StringBuilder why = new StringBuilder();
        boolean tooLarge = false;
        for (Throwable t = e; t != null && why.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IllegalStateException || m.toLowerCase(Locale.ROOT).matches("(?s).*(exceed|too large|max(imum)? ?(request|file)? ?size|limit).*")) {
                tooLarge = true;
            }
            if (!m.isEmpty()) why.append(why.length() == 0 ? "" : ": ").append(m);
        }
        LOG.debug("multipart upload refused", e);
        if (tooLarge) {
            return new BadRequest(413, "the upload is larger than the limit" + (max > 0 ? " of " + max + " bytes" : "") + " (" + RestConfig.PID
                    + ", osgi.http.whiteboard.servlet.multipart.maxRequestSize, per file maxFileSize)");
        }
        return new BadRequest(400, "the multipart/form-data body could not be read" + (why.length() == 0 ? "" : ": " + why));
    }

    private static String required(HttpServletRequest req, String name) throws BadRequest {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) throw new BadRequest(400, "the parameter '" + name + "' is required");
        return v;
    }

    private static int percent(String s) throws BadRequest {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 100) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "percent must be a whole number from 0 to 100, was '" + s + "'");
        }
    }

    private ObjectNode versionJson(ModelVersion v) {
        ObjectNode o = json.createObjectNode().put("id", v.info().id()).put("version", v.info().version())
                .put("family", v.info().family()).put("description", v.info().description()).put("state", v.state().name())
                .put("activeLeases", v.activeLeases()).put("completedJobs", v.completedJobs()).put("failedJobs", v.failedJobs());
        if (v.installToReadyMillis() > 0) o.put("installToReadyMillis", v.installToReadyMillis());
        if (v.reason() != null) o.put("reason", v.reason());
        return o;
    }

    private ObjectNode policyJson(RoutingPolicy p) {
        ObjectNode o = json.createObjectNode().put("family", p.family()).put("mode", p.mode().name())
                .put("canaryPercent", p.canaryPercent()).put("autoRollback", p.autoRollback());
        if (p.version() != null) o.put("version", p.version());
        if (p.candidate() != null) o.put("candidate", p.candidate());
        ObjectNode pins = o.putObject("tenantPins");
        p.tenantPins().forEach(pins::put);
        return o;
    }

    private void modelList(HttpServletResponse resp) throws IOException {
        ModelRegistry r = registry;
        if (r != null) {
            ObjectNode o = json.createObjectNode();
            ArrayNode vs = o.putArray("models");
            java.util.Set<String> families = new java.util.TreeSet<>();
            for (ModelVersion v : r.versions()) {
                vs.add(versionJson(v));
                families.add(v.info().family());
            }
            ArrayNode ps = o.putArray("policies");
            for (String f : families) ps.add(policyJson(r.policy(f)));
            write(resp, o);
            return;
        }
        ArrayNode arr = json.createArrayNode();
        models.stream().map(VideoModel::info).sorted((a, b) -> (a.id() + a.version()).compareTo(b.id() + b.version()))
                .forEach((ModelInfo i) -> arr.addObject().put("id", i.id()).put("version", i.version())
                        .put("family", i.family()).put("description", i.description()));
        ObjectNode o = json.createObjectNode();
        o.set("models", arr);
        write(resp, o);
    }

    private void openapi(HttpServletResponse resp) throws IOException {
        try (InputStream in = KinoraApiServlet.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                error(resp, 500, "the OpenAPI document is missing from the bundle");
                return;
            }
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            in.transferTo(resp.getOutputStream());
        }
    }

    private ObjectNode job(JobInfo i) {
        ObjectNode o = json.createObjectNode();
        o.put("id", i.id()).put("owner", i.owner()).put("state", i.state().name()).put("priority", i.priority())
                .put("scheduler", i.scheduler());
        o.put("submitted", String.valueOf(i.submitted()));
        if (i.started() != null) o.put("started", i.started().toString());
        if (i.finished() != null) o.put("finished", i.finished().toString());
        if (i.stage() != null) o.put("stage", i.stage());
        o.put("stageProgress", i.stageProgress()).put("progress", i.progress());
        if (i.etaSeconds() != null) o.put("etaSeconds", i.etaSeconds());
        if (i.error() != null) o.put("error", i.error());
        ArrayNode r = o.putArray("results");
        for (String name : i.results()) {
            r.addObject().put("name", name).put("href", "/kinora/api/v1/jobs/" + i.id() + "/results/" + name);
        }
        return o;
    }

    private static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4")) return "video/mp4";
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".png")) return "image/png";
        if (n.endsWith(".vtt")) return "text/vtt";
        if (n.endsWith(".wav")) return "audio/wav";
        return "application/octet-stream";
    }

    private void notAllowed(HttpServletResponse resp, String allowed) throws IOException {
        resp.setHeader("Allow", allowed);
        error(resp, 405, "method not allowed here; use " + allowed);
    }

    private ObjectNode errorBody(int status, String message) {
        return json.createObjectNode().put("status", status).put("error", message);
    }

    /** The most of a refused upload read and thrown away so that the client, still sending, can read the answer. */
    static final long DISCARD_LIMIT = 16L * 1024 * 1024;

    /**
     * A refused upload is answered only after the rest of its body has been read (up to {@link #DISCARD_LIMIT}):
     * answering and closing while the client is still sending makes its TCP stack reset the connection, and the
     * client then sees "connection reset" instead of the 413 that names the limit. Larger bodies are cut off and the
     * connection is closed; clients that send {@code Expect: 100-continue} (curl does for large bodies) never send
     * them at all.
     */
    private static void discardUnread(HttpServletRequest req, HttpServletResponse resp) {
        long declared = req.getContentLengthLong();
        if (declared > DISCARD_LIMIT || declared < 0) {
            resp.setHeader("Connection", "close");
            return;
        }
        try {
            InputStream in = req.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long read = 0;
            int n;
            while (read < DISCARD_LIMIT && (n = in.read(buf)) >= 0) read += n;
        } catch (IOException | IllegalStateException e) {
            // already read as parts, or the client has gone: nothing to discard
            resp.setHeader("Connection", "close");
        }
    }

    private void error(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) return;
        resp.setStatus(status);
        write(resp, errorBody(status, message));
    }

    /**
     * Writes a JSON body. It is serialised first, so the response carries its length (no chunking) and the
     * Server-Timing header covers everything but the network write.
     */
    private void write(HttpServletResponse resp, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        serverTiming(resp);
        resp.getOutputStream().write(bytes);
    }

    /** {@code Server-Timing: app;dur=<ms>}: the time since the request entered this servlet. */
    private static void serverTiming(HttpServletResponse resp) {
        long started = STARTED.get()[0];
        if (started == 0 || resp.isCommitted()) return;
        long micros = (System.nanoTime() - started) / 1000;
        resp.setHeader("Server-Timing", "app;dur=" + (micros / 1000) + "." + String.format(Locale.ROOT, "%03d", micros % 1000));
    }

    /** A client error with its HTTP status; the message is shown to the client as it is. */
    /** An upload stream that fails once more than its limit has been read (a chunked body has no length to check first). */
    static final class Bounded extends java.io.FilterInputStream {
        static final class TooLarge extends IOException {
            TooLarge() {
                super("upload over the limit");
            }
        }

        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > limit) throw new TooLarge();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > limit) throw new TooLarge();
            return n;
        }
    }

    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
