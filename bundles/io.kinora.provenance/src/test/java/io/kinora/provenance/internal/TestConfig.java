package io.kinora.provenance.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link ProvenanceConfig} as Config Admin + DS would give it: the given values, defaults for the rest. */
final class TestConfig {
    private TestConfig() {
    }

    static ProvenanceConfig of(Map<String, Object> values) {
        return (ProvenanceConfig) Proxy.newProxyInstance(ProvenanceConfig.class.getClassLoader(), new Class<?>[] {ProvenanceConfig.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "TestConfig" + values;
                        };
                    }
                    if (method.getName().equals("annotationType")) return ProvenanceConfig.class;
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    static ProvenanceConfig defaults() { return of(Map.of()); }
}
