package dev.orderly.access;

/** An action a channel access token can allow, named in the token's {@code scope} claim. */
public enum Permission {

    /** Receive a channel's events, live and from history, over {@code GET /api/realtime}. */
    SUBSCRIBE("subscribe"),

    /** Append events to a channel. */
    EMIT("emit");

    private final String scopeValue;

    Permission(String scopeValue) {
        this.scopeValue = scopeValue;
    }

    /** Returns the word that grants this permission in a token's space-separated {@code scope} claim. */
    public String scopeValue() {
        return scopeValue;
    }
}
