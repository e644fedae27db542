package io.kinora.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses {@code --name value}, {@code --name=value} and {@code --flag} options plus positional arguments. */
final class Args {
    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (s.startsWith("--")) {
                String name = s.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) throw new UsageException("--" + name + " takes no value");
                    a.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (a.options.put(name, value) != null) throw new UsageException("--" + name + " is given twice");
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    String get(String name) { return options.get(name); }

    boolean flag(String name) { return options.containsKey(name); }

    String require(String name) throws UsageException {
        String v = options.get(name);
        if (v == null || v.isBlank()) throw new UsageException("--" + name + " is required");
        return v;
    }

    /** Wrong command-line use; exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) { super(message); }
    }
}
