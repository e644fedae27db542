package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceService;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Kinora Provenance: label policies, and verification of an uploaded file layer by layer. */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=kinora-provenance", "felix.webconsole.title=Kinora Provenance", "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class ProvenancePage extends ConsolePage {
    private static final long serialVersionUID = 1L;
    private final transient ProvenanceService provenance;

    @Activate
    public ProvenancePage(@Reference ProvenanceService provenance) {
        this.provenance = provenance;
    }

    @Override
    String label() { return "kinora-provenance"; }

    @Override
    String template() { return "provenance.html"; }

    @Override
    void get(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (sub.equals("/data.json")) {
            ArrayNode p = json.createArrayNode();
            provenance.policies().forEach(p::add);
            com.fasterxml.jackson.databind.node.ObjectNode data = json.createObjectNode();
            data.set("policies", p);
            com.fasterxml.jackson.databind.node.ObjectNode identity = data.putObject("signingIdentity");
            provenance.signingIdentity().forEach(identity::put);
            writeJson(resp, data);
            return;
        }
        super.get(sub, req, resp);
    }

    @Override
    void post(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!sub.equals("/verify")) {
            super.post(sub, req, resp);
            return;
        }
        req.setAttribute("org.eclipse.jetty.multipartConfig", new MultipartConfigElement(System.getProperty("java.io.tmpdir"), 1L << 30, 1L << 30, 1 << 20));
        req.setAttribute("org.eclipse.jetty.multiPartConfig", req.getAttribute("org.eclipse.jetty.multipartConfig"));
        Path tmp = Files.createTempFile("kinora-verify-", ".mp4");
        try {
            Part file = req.getPart("file");
            if (file == null || file.getSize() == 0) {
                error(resp, 400, "choose a file to verify");
                return;
            }
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            ArrayNode arr = json.createArrayNode();
            for (LayerStatus l : provenance.verify(tmp)) {
                arr.addObject().put("layer", l.layer()).put("present", l.present()).put("detail", l.detail());
            }
            writeJson(resp, json.createObjectNode().put("file", file.getSubmittedFileName()).set("layers", arr));
        } catch (StageException e) {
            error(resp, 422, e.getMessage().replace(tmp.toString(), "the uploaded file"));
        } catch (ServletException | IllegalStateException e) {
            error(resp, 400, "the upload could not be read: " + e.getMessage());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
