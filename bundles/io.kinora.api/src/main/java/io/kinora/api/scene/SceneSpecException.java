package io.kinora.api.scene;

import java.util.List;
import java.util.stream.Collectors;

/** A scene that cannot be used; carries every problem found, each naming its field. */
public class SceneSpecException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public SceneSpecException(String source, List<Problem> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() { return problems; }

    private static String format(String source, List<Problem> problems) {
        String head = (source == null ? "scene" : source) + ": " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems");
        return head + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
