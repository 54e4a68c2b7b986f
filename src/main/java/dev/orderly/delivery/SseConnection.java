package dev.orderly.delivery;

import java.util.ArrayDeque;
import java.util.Arrays;

import dev.orderly.channel.ChannelEvent;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The HTTP side of one SSE connection: a bounded queue of encoded frames, written to the Vert.x response in
 * batches.
 *
 * <p>Frames may be queued from any thread. The first frame queued while no flush is scheduled schedules one on the
 * connection's event loop, and that flush writes every frame queued by then as one buffer (one write and one
 * syscall) of at most {@value #MAX_WRITE_BYTES} bytes, then the next while the response's write queue has room.
 * While the write queue is full (Netty's outbound buffer is above its high-water mark), frames wait here until the
 * drain handler runs. A frame counts as delivered when it is handed to the response.
 *
 * <p>Queue items are either a {@link ChannelEvent}, whose encoded frame is shared by every subscriber of its channel
 * alone, or a {@link Frame} encoded for this connection.
 */
final class SseConnection {

    /** Bytes handed to one {@code write}. A batch contains at least one frame, however large. */
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    /**
     * A frame encoded for this connection.
     *
     * @param chars length of the frame's data, counted against {@code max-queued-bytes}
     * @param emittedAt emit time (epoch ms) of a data frame's event, or -1 for a control frame
     */
    record Frame(byte[] bytes, int chars, long emittedAt) {
    }

    private final long subscriberId;
    private final HttpServerResponse response;
    private final Context context;
    private final SubscriptionContext services;
    private final int maxQueuedFrames;
    private final long maxQueuedChars;
    private final Handler<Void> flushTask = ignored -> flush();
    /** Called after a batch was written, so reads waiting for room can start. */
    private final Runnable onRoom;
    /** Called when the connection ended, by the server once its last frames are written, or by the client. */
    private final Runnable onEnd;
    /** Emit times of the data frames of the batch being written; used on the event loop only. */
    private long[] batchEmitTimes = new long[64];

    // Guarded by this.
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int queuedFrames;
    private long queuedChars;
    private boolean flushScheduled;
    private boolean waitingForDrain;
    /** Set by {@link #end}: the queued frames are written, then the response ends. */
    private boolean ending;
    /** Set once the response ended or the client went away; nothing is written after that. */
    private boolean finished;

    SseConnection(long subscriberId, HttpServerResponse response, Context context, SubscriptionContext services,
            Runnable onRoom, Runnable onEnd) {
        this.subscriberId = subscriberId;
        this.response = response;
        this.context = context;
        this.services = services;
        this.maxQueuedFrames = services.config().delivery().maxQueuedFrames();
        this.maxQueuedChars = services.config().delivery().maxQueuedBytes();
        this.onRoom = onRoom;
        this.onEnd = onEnd;
    }

    /** Sends the response head with the SSE headers and starts watching the connection. Call on its event loop. */
    void open() {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> clientGone());
        // A client that goes away is normal for SSE, so its connection errors are DEBUG, not ERROR.
        response.exceptionHandler(failure -> Log.debugf("SSE connection of subscriber %d failed: %s", subscriberId,
                failure.getMessage()));
        response.drainHandler(ignored -> flush());
        response.writeHead();
        if (response.closed()) {
            // The client went away before the handlers were set, so the close handler will not run.
            clientGone();
        }
    }

    /** Queues the shared single-channel data frame of {@code event}. */
    synchronized void send(ChannelEvent event) {
        add(event, event.json().length());
    }

    /** Queues a frame encoded for this connection. */
    synchronized void send(Frame frame) {
        add(frame, frame.chars());
    }

    /** Queues {@code frame} as the last one, then ends the response once everything queued is written. */
    synchronized void end(Frame frame) {
        if (ending || finished) {
            return;
        }
        ending = true;
        add(frame, frame.chars());
    }

    synchronized int queuedFrames() {
        return queuedFrames;
    }

    /** Returns whether the queue has reached either bound. */
    synchronized boolean isFull() {
        return queuedFrames >= maxQueuedFrames || queuedChars >= maxQueuedChars;
    }

    /** Returns whether the queue is at most half full by both bounds. */
    synchronized boolean isAtMostHalfFull() {
        return queuedFrames <= maxQueuedFrames / 2 && queuedChars <= maxQueuedChars / 2;
    }

    private void add(Object item, int chars) {
        if (finished) {
            return;
        }
        queue.add(item);
        queuedFrames++;
        queuedChars += chars;
        // While waiting for the drain handler, a flush would only find the write queue still full; an ending
        // connection writes its last frames without waiting.
        if (!flushScheduled && (!waitingForDrain || ending)) {
            flushScheduled = true;
            context.runOnContext(flushTask);
        }
    }

    /** Writes queued frames while the response accepts them. Runs on the connection's event loop. */
    private void flush() {
        synchronized (this) {
            flushScheduled = false;
        }
        while (true) {
            Buffer batch;
            int events;
            boolean last;
            synchronized (this) {
                if (finished || queue.isEmpty()) {
                    return;
                }
                if (!ending && response.writeQueueFull()) {
                    waitingForDrain = true;
                    return;
                }
                waitingForDrain = false;
                int size = batchSize();
                batch = Buffer.buffer(size);
                events = takeBatch(batch, size);
                last = ending && queue.isEmpty();
                if (last) {
                    finished = true;
                }
            }
            services.countDeliveries(batchEmitTimes, events);
            if (!write(batch, last)) {
                return;
            }
            if (last) {
                return;
            }
            onRoom.run();
        }
    }

    /** Returns the bytes of the frames the next batch takes: up to the write limit, or all when ending. */
    private int batchSize() {
        int size = 0;
        for (Object item : queue) {
            int length = bytes(item).length;
            if (size > 0 && size + length > MAX_WRITE_BYTES && !ending) {
                break;
            }
            size += length;
        }
        return size;
    }

    /** Moves the frames that fit in {@code size} bytes from the queue to {@code batch} and returns the data frames. */
    private int takeBatch(Buffer batch, int size) {
        int events = 0;
        Object item;
        while ((item = queue.peek()) != null) {
            byte[] bytes = bytes(item);
            if (batch.length() > 0 && batch.length() + bytes.length > size) {
                break;
            }
            queue.poll();
            batch.appendBytes(bytes);
            queuedFrames--;
            long emittedAt;
            if (item instanceof ChannelEvent event) {
                queuedChars -= event.json().length();
                emittedAt = event.emittedAt();
            } else {
                Frame frame = (Frame) item;
                queuedChars -= frame.chars();
                emittedAt = frame.emittedAt();
            }
            if (emittedAt >= 0) {
                if (events == batchEmitTimes.length) {
                    batchEmitTimes = Arrays.copyOf(batchEmitTimes, events * 2);
                }
                batchEmitTimes[events++] = emittedAt;
            }
        }
        return events;
    }

    private static byte[] bytes(Object item) {
        if (item instanceof ChannelEvent event) {
            return event.encodedFrame(SseFrames::singleChannelData);
        }
        return ((Frame) item).bytes();
    }

    /** Writes {@code batch}, and ends the response after it when {@code last}; returns whether the write was made. */
    private boolean write(Buffer batch, boolean last) {
        try {
            if (last) {
                // The connection counts against its limits until its last frames are written or the client goes
                // away, so a client that never reads cannot free its slot and open another while they wait.
                // NOTE: nothing bounds that wait. Vert.x's close() also waits for the pending writes, so a client
                // that never reads keeps its slot and these frames for as long as it keeps the connection open.
                response.end(batch).onComplete(ignored -> onEnd.run());
            } else {
                response.write(batch);
            }
            return true;
        } catch (IllegalStateException e) {
            // The response was closed between the check and the write: the client went away.
            Log.debugf("SSE connection of subscriber %d closed while writing: %s", subscriberId, e.getMessage());
            clientGone();
            return false;
        }
    }

    private void clientGone() {
        synchronized (this) {
            finished = true;
            queue.clear();
            queuedFrames = 0;
            queuedChars = 0;
        }
        onEnd.run();
    }
}
