package io.kinora.rest.internal;

/** An authenticated caller: a name and a role ({@code creator} or {@code operator}). */
record Principal(String name, String role) {
    static final String CREATOR = "creator";
    static final String OPERATOR = "operator";

    boolean isOperator() { return OPERATOR.equals(role); }

    boolean mayAccessJobOf(String owner) { return isOperator() || name.equals(owner); }
}
