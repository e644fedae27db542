package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobService;
import io.kinora.api.video.VideoModel;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Support dump (Status / Inventory in the console, and the configuration zip): jobs by state, models, voices. */
@Component(service = InventoryPrinter.class, property = {
        InventoryPrinter.NAME + "=kinora", InventoryPrinter.TITLE + "=Kinora", InventoryPrinter.FORMAT + "=TEXT",
        InventoryPrinter.FORMAT + "=JSON"})
public final class JobsInventoryPrinter implements InventoryPrinter {
    private final JobService jobs;
    private final VoiceService voices;
    private final List<VideoModel> models = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = JsonMapper.builder().build();

    @Activate
    public JobsInventoryPrinter(@Reference JobService jobs, @Reference VoiceService voices) {
        this.jobs = jobs;
        this.voices = voices;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModel(VideoModel m) { models.add(m); }

    void removeModel(VideoModel m) { models.remove(m); }

    @Override
    public void print(PrintWriter out, Format format, boolean isZip) {
        List<JobInfo> all = jobs.list(null);
        Map<io.kinora.api.jobs.JobState, Integer> counts = new EnumMap<>(io.kinora.api.jobs.JobState.class);
        all.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        if (format == Format.JSON) {
            var root = json.createObjectNode();
            var c = root.putObject("jobCounts");
            counts.forEach((k, v) -> c.put(k.name(), v));
            ArrayNode js = root.putArray("jobs");
            all.stream().limit(200).forEach(j -> {
                var o = js.addObject().put("id", j.id()).put("owner", j.owner()).put("state", j.state().name()).put("scheduler", j.scheduler())
                        .put("submitted", String.valueOf(j.submitted())).put("progress", j.progress());
                if (j.error() != null) o.put("error", j.error());
            });
            ArrayNode ms = root.putArray("models");
            models.forEach(m -> ms.addObject().put("id", m.info().id()).put("version", m.info().version()));
            ArrayNode vs = root.putArray("voices");
            voices.voices().forEach(v -> vs.add(v.id()));
            out.print(root.toPrettyString());
            return;
        }
        out.println("Kinora");
        out.println("Jobs: " + all.size() + " " + counts);
        all.stream().limit(200).forEach(j -> out.printf("  %s  %-9s %-10s %s%s%n", j.id(), j.state(), j.owner(), j.submitted(),
                j.error() == null ? "" : "  error: " + j.error()));
        out.println("Models:");
        models.forEach(m -> out.println("  " + m.info().id() + " " + m.info().version() + " (" + m.info().family() + ")"));
        out.println("Voices:");
        for (VoiceInfo v : voices.voices()) out.println("  " + v.id() + " [" + v.engine() + "] " + String.join(",", v.languages()));
    }
}
