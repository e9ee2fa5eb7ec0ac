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
 * What an in-process application logs while this is open: every event that reaches logback's root logger at the
 * configured levels (logback-test.xml: INFO, so DEBUG lines are not there), as the console would show it.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final PatternLayout layout = new PatternLayout();

    private CapturedLog(Logger root) {
        this.root = root;
    }

    public static CapturedLog start() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        CapturedLog log = new CapturedLog(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        log.layout.setContext(context);
        // the stack trace in full, as the console writes it
        log.layout.setPattern("%level %logger - %msg%n%ex{full}");
        log.layout.start();
        log.appender.setContext(context);
        log.appender.start();
        log.root.addAppender(log.appender);
        return log;
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

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        layout.stop();
    }
}
