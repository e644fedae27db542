package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Web Console page as a plain javax Servlet service with the {@code felix.webconsole.*} properties: Web Console 4.x
 * (Sling 11, AEM 6.5) and 5.x both wrap such a servlet's HTML in the console frame; requests for other paths below the
 * label (JSON data, actions) reach the servlet unwrapped. The HTML is a static template from the bundle; the data comes
 * as JSON and is put into the page with textContent, so nothing user-supplied is ever interpreted as markup.
 */
abstract class ConsolePage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CATEGORY = "Kinora";
    protected final transient ObjectMapper json = JsonMapper.builder().build();

    /** The page label, e.g. {@code kinora-jobs}. */
    abstract String label();

    /** The template resource next to this class. */
    abstract String template();

    /** The part of the path after the label: "" for the page itself. */
    String subPath(HttpServletRequest req) {
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        String prefix = "/" + label();
        return info.startsWith(prefix) ? info.substring(prefix.length()) : info;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sub = subPath(req);
        if (sub.isEmpty() || sub.equals("/") || sub.endsWith(".html")) {
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            try (InputStream in = getClass().getResourceAsStream(template())) {
                if (in == null) throw new IOException("template " + template() + " is missing");
                resp.getWriter().write(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${label}", label()));
            }
            return;
        }
        get(sub, req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        post(subPath(req), req, resp);
    }

    void get(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        error(resp, 404, "no such page: " + sub);
    }

    void post(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        error(resp, 405, "POST is not supported here");
    }

    void writeJson(HttpServletResponse resp, Object body) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        json.writeValue(resp.getOutputStream(), body);
    }

    void error(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setStatus(status);
        ObjectNode o = json.createObjectNode().put("status", status).put("error", message);
        writeJson(resp, o);
    }
}
