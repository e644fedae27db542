package io.kinora.api.scene;

/**
 * One line of dialogue: who speaks it, the text, and an optional pause before it in seconds
 * ({@code null}: the planner's natural gap).
 */
public record LineSpec(String character, String text, Double pauseBefore) {
}
