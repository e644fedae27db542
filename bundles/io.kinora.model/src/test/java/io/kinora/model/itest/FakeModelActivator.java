package io.kinora.model.itest;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;

/**
 * Activator of the model bundles the Felix integration test generates: registers a {@link FakeModel} with the
 * standard service properties, configured by the headers {@code X-Fake-Behaviour}, {@code X-Fake-Frame-Millis}
 * and {@code X-Fake-Family}.
 */
public final class FakeModelActivator implements BundleActivator {

    private ServiceRegistration<VideoModel> registration;

    @Override
    public void start(BundleContext context) {
        String id = context.getBundle().getHeaders().get("Kinora-Model");
        String version = context.getBundle().getVersion().toString();
        String family = context.getBundle().getHeaders().get("X-Fake-Family");
        String behaviour = context.getBundle().getHeaders().get("X-Fake-Behaviour");
        long ms = Long.parseLong(context.getBundle().getHeaders().get("X-Fake-Frame-Millis"));
        FakeModel model = new FakeModel(new ModelInfo(id, version, family, "fake " + behaviour), behaviour, ms);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(VideoModel.MODEL_ID, id);
        p.put(VideoModel.MODEL_VERSION, version);
        p.put(VideoModel.MODEL_FAMILY, family);
        registration = context.registerService(VideoModel.class, model, p);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
