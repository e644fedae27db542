package io.kinora.model.internal;

import io.kinora.api.model.RoutingPolicy;

/**
 * Makes an operator's routing change lasting. The Config Admin implementation ({@link ConfigAdminPolicyWriter}) is
 * optional (its package import is optional): without it, operator changes stay in memory only.
 */
interface PolicyWriter {

    /** The factory PID of routing configurations (one per family). */
    String FACTORY_PID = "io.kinora.model.routing";

    /**
     * Writes the policy into its family's routing configuration (creating it if there is none).
     *
     * @return the PID(s) of the configuration(s) written or already equal
     */
    String write(RoutingPolicy policy) throws Exception;

    /** The PID the family's policy is (or will be) written to, for messages; never blocks on a write. */
    String target(String family);

    /** The name of the configuration made for a family without one: letters, digits, '.', '_', '-'; others '_'. */
    static String configName(String family) {
        return family.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
