package dev.purser.secrets;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every log record of the running application while open, formatted with its stack trace, with
 * the given categories turned up to DEBUG; levels and handlers restored on close.
 */
final class CapturedLog extends Handler implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    CapturedLog(String... debugCategories) {
        setLevel(Level.ALL);
        for (String category : debugCategories) {
            Logger logger = Logger.getLogger(category);
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        StringBuilder line = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + " ");
        line.append(r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage()
                : formatter.formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines containing {@code text}. */
    synchronized List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        levels.forEach(Logger::setLevel);
    }
}
