package io.kinora.rest.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * Kinora's own HTTP Whiteboard context at {@code /kinora}: the REST servlet selects it, so the API does not depend
 * on how a host sets up its root context. A host may register a context at {@code /} with the highest ranking (Sling
 * Starter's start-up page does, until the host is fully started); the longer context path still reaches Kinora.
 * Authentication happens in the servlet (Kinora's own users and tokens, or the host's users), not here.
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = KinoraRestContext.NAME, path = "/kinora")
public final class KinoraRestContext extends ServletContextHelper {
    static final String NAME = "io.kinora.rest";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
}
