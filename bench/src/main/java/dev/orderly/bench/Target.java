package dev.orderly.bench;

import java.net.URI;
import java.net.URISyntaxException;

/** An Orderly instance or Redis server on the loopback address 127.0.0.1, the only host this tool talks to. */
record Target(String scheme, String host, int port) {

    static final String LOOPBACK = "127.0.0.1";

    /**
     * Parses {@code http://127.0.0.1:<port>} or {@code redis://127.0.0.1:<port>}.
     *
     * @throws IllegalArgumentException when the scheme differs or the host is not 127.0.0.1
     */
    static Target parse(String option, String text, String scheme) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " " + text + " is not a valid URI: " + e.getMessage());
        }
        if (!scheme.equals(uri.getScheme())) {
            throw new IllegalArgumentException(option + " " + text + " must start with " + scheme + "://");
        }
        if (!LOOPBACK.equals(uri.getHost())) {
            throw new IllegalArgumentException(option + " " + text + " must name host " + LOOPBACK
                    + "; this tool only talks to servers on the loopback address");
        }
        if (uri.getPort() <= 0) {
            throw new IllegalArgumentException(option + " " + text + " is missing the port, for example "
                    + scheme + "://" + LOOPBACK + ":8080");
        }
        return new Target(scheme, uri.getHost(), uri.getPort());
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
