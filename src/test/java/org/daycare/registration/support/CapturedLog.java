package org.daycare.registration.support;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * What an in-process application logs while this is open, at the configured levels (logback-test.xml: INFO, so
 * DEBUG lines are not there): everything ({@link #start}), or one logger's lines ({@link #of}), which is how a
 * test shows that a path it means to exercise (a contended one, say) really ran.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final PatternLayout layout = new PatternLayout();

    private CapturedLog(Logger logger) {
        this.logger = logger;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        layout.setContext(context);
        // the stack trace in full, as the console writes it
        layout.setPattern("%level %logger - %msg%n%ex{full}");
        layout.start();
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
    }

    /** Every event that reaches the root logger. */
    public static CapturedLog start() {
        return new CapturedLog((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    /** The events of one class's logger. */
    public static CapturedLog of(Class<?> loggerOf) {
        return new CapturedLog((Logger) LoggerFactory.getLogger(loggerOf));
    }

    /** The events so far (the appender appends under its own lock). */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The events so far as text, stack traces included. */
    public String text() {
        return events().stream().map(layout::doLayout).collect(Collectors.joining());
    }

    /** How many messages so far contain the fragment. */
    public long count(String fragment) {
        return events().stream().filter(event -> event.getFormattedMessage().contains(fragment)).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        layout.stop();
    }
}
