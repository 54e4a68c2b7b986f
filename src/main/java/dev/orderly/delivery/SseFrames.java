package dev.orderly.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.config.OrderlyConfig;
import org.jboss.resteasy.reactive.server.jaxrs.OutboundSseEventImpl;

/**
 * Builds SSE frames. Data is always one line of JSON, so payloads with line breaks or any Unicode arrive intact
 * through standard SSE parsing. No per-frame media type is set, because Quarkus REST would add a non-standard
 * {@code content-type:} line to every frame.
 */
@ApplicationScoped
class SseFrames {

    private final ObjectMapper mapper;
    private final long retryMillis;

    @Inject
    SseFrames(ObjectMapper mapper, OrderlyConfig config) {
        this.mapper = mapper;
        this.retryMillis = config.delivery().clientRetry().toMillis();
    }

    /** Builds an unnamed data frame, which browsers deliver to {@code EventSource.onmessage}. */
    OutboundSseEvent data(String cursor, String json) {
        return new OutboundSseEventImpl.BuilderImpl().id(cursor).data(json).build();
    }

    /** Returns whether {@code frame} was built by {@link #data}: it has an id and no event name. */
    static boolean isEventFrame(OutboundSseEvent frame) {
        return frame.getName() == null && frame.getId() != null;
    }

    /** Builds the {@code ready} frame, which also sets the browser's reconnect delay. */
    OutboundSseEvent ready(String cursor, Notices.Ready ready) {
        return new OutboundSseEventImpl.BuilderImpl()
                .name("ready")
                .id(cursor)
                .reconnectDelay(retryMillis)
                .data(json(ready))
                .build();
    }

    /** Builds a named control frame without an id, so it never moves the browser's resume position. */
    OutboundSseEvent named(String name, Object notice) {
        return new OutboundSseEventImpl.BuilderImpl().name(name).data(json(notice)).build();
    }

    /** Builds a comment frame that keeps idle connections and proxies open. Browsers ignore it. */
    OutboundSseEvent heartbeat() {
        return new OutboundSseEventImpl.BuilderImpl().comment(" ping").build();
    }

    private String json(Object notice) {
        try {
            return mapper.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notice " + notice.getClass().getSimpleName()
                    + " could not be serialized", e);
        }
    }
}
