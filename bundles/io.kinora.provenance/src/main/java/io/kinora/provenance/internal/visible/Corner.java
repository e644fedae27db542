package io.kinora.provenance.internal.visible;

import java.util.Locale;

/** The frame corner the visible label sits in. */
public enum Corner {
    TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT;

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The corner for {@code top-right} etc., or {@code null}. */
    public static Corner fromId(String id) {
        if (id == null) return null;
        for (Corner c : values()) if (c.id().equalsIgnoreCase(id.trim())) return c;
        return null;
    }

    boolean left() { return this == TOP_LEFT || this == BOTTOM_LEFT; }

    boolean top() { return this == TOP_LEFT || this == TOP_RIGHT; }
}
