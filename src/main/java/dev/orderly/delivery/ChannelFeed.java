package dev.orderly.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.channel.ChannelLog;
import dev.orderly.channel.HistoryPage;
import dev.orderly.hub.ChannelHub;
import io.smallrye.mutiny.Uni;

/**
 * One channel of one subscription: merges the replayed history with the live feed by offset.
 *
 * <p>Guarantees, per channel: offsets are delivered in increasing order with no repeats; a live event whose
 * offset jumps past the next expected one is held back until the missing offsets are read from the stream; an
 * offset that is no longer in the stream is announced with a {@code gap} notice, and a change of epoch with a
 * {@code reset} notice, before anything after it is delivered.
 *
 * <p>All methods except {@link #onEvent} and {@link #onLinkLost} run while holding the subscription's lock;
 * those two take it themselves because the hub calls them.
 */
final class ChannelFeed implements ChannelHub.Listener {

    private enum Phase {
        /** Waiting for the subscription's start: live events are queued. */
        STARTING,
        /** Reading history: live events are queued until the read catches up. */
        READING,
        /** Delivering live events as they arrive. */
        LIVE
    }

    /** Time a live message may take to arrive after the position check saw its offset in Redis. */
    private static final Duration LIVE_GRACE = Duration.ofMillis(200);

    private final Subscription subscription;
    private final ChannelLog log;
    private final String channel;
    private final Cursor.Position resumeFrom;
    private final int pageSize;

    private final ArrayDeque<ChannelEvent> pending = new ArrayDeque<>();
    private Phase phase = Phase.STARTING;
    private String epoch;
    private long delivered;
    private HistoryPage startPage;
    private Notices.Reset startReset;
    /** Set when the link was restored during a read: once the read ends, read on to the channel's top. */
    private boolean catchUpPending;

    ChannelFeed(Subscription subscription, ChannelLog log, String channel, Cursor.Position resumeFrom, int pageSize) {
        this.subscription = subscription;
        this.log = log;
        this.channel = channel;
        this.resumeFrom = resumeFrom;
        this.pageSize = pageSize;
        if (resumeFrom != null) {
            // Until the start succeeds, the position to report is the one the client asked to resume from.
            this.epoch = resumeFrom.epoch();
            this.delivered = resumeFrom.offset();
        }
    }

    String channel() {
        return channel;
    }

    String epoch() {
        return epoch;
    }

    long delivered() {
        return delivered;
    }

    /** Reads what the start needs: the first page after the resume position, or only the channel's position. */
    Uni<HistoryPage> readStart() {
        if (resumeFrom == null) {
            return log.position(channel);
        }
        return log.read(channel, resumeFrom.offset() + 1, Long.MAX_VALUE, pageSize);
    }

    /** Sets the starting position from the first read; nothing is sent until {@link #begin}. */
    void start(HistoryPage page) {
        startPage = page;
        epoch = page.epoch();
        if (resumeFrom == null) {
            delivered = page.top();
            return;
        }
        boolean otherEpoch = resumeFrom.epoch() != null && !resumeFrom.epoch().equals(page.epoch());
        if (otherEpoch) {
            String reason = page.epoch() == null ? "history-expired" : "epoch-changed";
            startReset = new Notices.Reset(channel, resumeFrom.epoch(), page.epoch(), reason);
            delivered = 0;
        } else if (resumeFrom.offset() > page.top()) {
            startReset = new Notices.Reset(channel, resumeFrom.epoch(), page.epoch(), "ahead-of-history");
            delivered = 0;
        } else {
            delivered = resumeFrom.offset();
        }
    }

    /** Sends the start's notices and history, then goes live. Called once, after the {@code ready} frame. */
    void begin() {
        HistoryPage page = startPage;
        startPage = null;
        if (startReset != null) {
            subscription.sendReset(startReset);
            startReset = null;
            readFrom(1, Long.MAX_VALUE);
        } else if (resumeFrom != null) {
            onPage(page, Long.MAX_VALUE);
        } else {
            goLive();
        }
    }

    @Override
    public void onEvent(ChannelEvent event) {
        synchronized (subscription) {
            if (subscription.isClosed()) {
                return;
            }
            pending.add(event);
            if (phase == Phase.LIVE) {
                drain();
            }
        }
    }

    @Override
    public void onResubscribed() {
        synchronized (subscription) {
            if (subscription.isClosed()) {
                return;
            }
            if (phase == Phase.LIVE) {
                readFrom(delivered + 1, Long.MAX_VALUE);
            } else {
                catchUpPending = true;
            }
        }
    }

    @Override
    public void onLinkLost(Throwable cause) {
        subscription.close("redis-link-lost", "The Redis pub/sub connection was lost and could not be restored; "
                + "resume with the cursor");
    }

    @Override
    public void onPosition(String currentEpoch, long top) {
        synchronized (subscription) {
            if (subscription.isClosed() || phase != Phase.LIVE || currentEpoch == null || top <= delivered) {
                return;
            }
        }
        // The live message for the top may still be in flight, so look again a moment later before reading.
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(LIVE_GRACE)
                .subscribe().with(ignored -> catchUp(currentEpoch, top));
    }

    private void catchUp(String currentEpoch, long top) {
        synchronized (subscription) {
            if (subscription.isClosed() || phase != Phase.LIVE) {
                return;
            }
            if (epoch != null && !epoch.equals(currentEpoch)) {
                restartEpoch(currentEpoch, "epoch-changed");
            } else if (top <= delivered) {
                return;
            }
            epoch = currentEpoch;
            subscription.logCatchUp(channel, delivered, top);
            readFrom(delivered + 1, top);
        }
    }

    private void goLive() {
        if (catchUpPending) {
            catchUpPending = false;
            readFrom(delivered + 1, Long.MAX_VALUE);
            return;
        }
        phase = Phase.LIVE;
        drain();
    }

    private void drain() {
        ChannelEvent next;
        while (!subscription.isClosed() && (next = pending.peek()) != null) {
            if (epoch == null) {
                // The channel had no history when this feed started; its first event starts the epoch.
                epoch = next.epoch();
            } else if (!epoch.equals(next.epoch())) {
                restartEpoch(next.epoch(), "epoch-changed");
            }
            if (next.offset() <= delivered) {
                pending.poll();
            } else if (next.offset() == delivered + 1) {
                if (subscription.isQueueFull()) {
                    subscription.closeAsSlow();
                    return;
                }
                pending.poll();
                deliver(next);
            } else {
                // A live message was lost (or overtaken): read the missing offsets before this one.
                subscription.countGapFill();
                readFrom(delivered + 1, next.offset() - 1);
                return;
            }
        }
    }

    private void readFrom(long first, long last) {
        phase = Phase.READING;
        log.read(channel, first, last, pageSize).subscribe().with(
                page -> {
                    synchronized (subscription) {
                        if (!subscription.isClosed()) {
                            onPage(page, last);
                        }
                    }
                },
                failure -> subscription.close("redis-unavailable",
                        "Reading the history of " + channel + " from Redis failed; resume with the cursor"));
    }

    /** Delivers a page read for offsets up to {@code last}, then reads on or goes live. */
    private void onPage(HistoryPage page, long last) {
        if (epoch == null && page.epoch() != null) {
            // The channel had no history when this feed started, as in drain(): its first epoch is no change.
            epoch = page.epoch();
        }
        if (!Objects.equals(page.epoch(), epoch)) {
            if (page.epoch() == null) {
                subscription.sendReset(new Notices.Reset(channel, epoch, null, "history-expired"));
                epoch = null;
                delivered = 0;
                goLive();
            } else {
                restartEpoch(page.epoch(), "epoch-changed");
                readFrom(1, Long.MAX_VALUE);
            }
            return;
        }
        for (ChannelEvent event : page.events()) {
            if (event.offset() <= delivered) {
                continue;
            }
            if (event.offset() > delivered + 1) {
                subscription.sendGap(new Notices.Gap(channel, epoch, delivered + 1, event.offset() - 1, "trimmed"));
            }
            deliver(event);
        }
        if (page.events().size() == pageSize && delivered < last) {
            long next = delivered + 1;
            subscription.whenRoomFor(() -> readFrom(next, last));
            return;
        }
        if (last != Long.MAX_VALUE && delivered < last) {
            subscription.sendGap(new Notices.Gap(channel, epoch, delivered + 1, last, "trimmed"));
            delivered = last;
        }
        goLive();
    }

    private void restartEpoch(String newEpoch, String reason) {
        subscription.sendReset(new Notices.Reset(channel, epoch, newEpoch, reason));
        epoch = newEpoch;
        delivered = 0;
    }

    private void deliver(ChannelEvent event) {
        delivered = event.offset();
        subscription.sendEvent(event);
    }
}
