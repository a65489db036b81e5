package io.nightcorej.microservices.common.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds {@link Workload}s on the class path through {@link ServiceLoader} ({@code META-INF/services/
 * io.nightcorej.microservices.common.deploy.Workload}), by {@link Workload#name()}.
 */
public final class WorkloadRegistry {

    private WorkloadRegistry() {
    }

    /** @return every workload on the class path. */
    public static List<Workload> all() {
        final List<Workload> workloads = new ArrayList<>();
        ServiceLoader.load(Workload.class, contextLoader()).forEach(workloads::add);
        return workloads;
    }

    /** @return the names of every workload on the class path. */
    public static List<String> names() {
        return all().stream().map(Workload::name).sorted().toList();
    }

    /**
     * @param name a workload name, e.g. {@code socialnetwork}.
     * @return a new instance of that workload.
     * @throws IllegalArgumentException naming the known workloads when there is none by that name.
     */
    public static Workload find(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no workload given; known workloads: " + names());
        }
        for (final Workload w : all()) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        final List<String> known = names();
        throw new IllegalArgumentException("unknown workload '" + name + "'; " + (known.isEmpty()
                ? "no workload is on the class path (each registers in META-INF/services/" + Workload.class.getName()
                        + "; run from the workload's shaded jar)"
                : "known workloads: " + known));
    }

    /**
     * Checks that a service is one of the workload's.
     * @throws IllegalArgumentException naming the workload's services when it is not.
     */
    static void checkService(final Workload workload, final String service) {
        if (service == null || service.isBlank() || !workload.services().contains(service)) {
            throw new IllegalArgumentException("workload '" + workload.name() + "' has no service '" + service
                    + "'; its services: " + workload.services());
        }
    }

    private static ClassLoader contextLoader() {
        final ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : WorkloadRegistry.class.getClassLoader();
    }
}
