package dev.orderly.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Keeps the text of every log record the application writes, with its exception messages, while installed on the
 * root logger. Orderly and SmallRye JWT log at DEBUG meanwhile, so their debug lines are checked too.
 */
final class LogCapture extends Handler {

    private static final List<String> DEBUG_CATEGORIES = List.of("dev.orderly", "io.smallrye.jwt");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Map<String, Level> previousLevels = new HashMap<>();

    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.setLevel(Level.ALL);
        for (String category : DEBUG_CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            capture.previousLevels.put(category, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    void uninstall() {
        Logger.getLogger("").removeHandler(this);
        previousLevels.forEach((category, level) -> Logger.getLogger(category).setLevel(level));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLoggerName()).append(": ");
        line.append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatter.formatMessage(record));
        for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
            line.append(" | ").append(thrown);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
