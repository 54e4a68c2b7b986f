package dev.orderly.channel;

import java.util.List;

/**
 * A channel's state and a page of its log, read in one atomic step.
 *
 * @param epoch the channel's current epoch, or {@code null} when the channel has no history (never written, or
 *        expired)
 * @param top the last offset appended in this epoch, 0 when there is no history
 * @param events the requested entries in offset order; the retention bound may have trimmed the oldest ones
 */
public record HistoryPage(String epoch, long top, List<ChannelEvent> events) {
}
