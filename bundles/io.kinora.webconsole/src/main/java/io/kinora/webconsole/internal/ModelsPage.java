package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Kinora Models: the video model versions that are ready. */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=kinora-models", "felix.webconsole.title=Kinora Models", "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class ModelsPage extends ConsolePage {
    private static final long serialVersionUID = 1L;
    private final transient List<VideoModel> models = new CopyOnWriteArrayList<>();

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
        if (sub.equals("/data.json")) {
            ArrayNode arr = json.createArrayNode();
            models.stream().map(VideoModel::info).sorted(Comparator.comparing(ModelInfo::id).thenComparing(ModelInfo::version))
                    .forEach(i -> arr.addObject().put("id", i.id()).put("version", i.version()).put("family", i.family())
                            .put("description", i.description()));
            writeJson(resp, json.createObjectNode().set("models", arr));
            return;
        }
        super.get(sub, req, resp);
    }
}
