package org.daycare.registration.support;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * What one logger of the in-process application logs while a test runs, as formatted messages: how a test shows
 * that a path it means to exercise (a contended one, say) really ran.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(Class<?> loggerOf) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
        appender.start();
        logger.addAppender(appender);
    }

    public static CapturedLog of(Class<?> loggerOf) {
        return new CapturedLog(loggerOf);
    }

    public List<String> messages() {
        synchronized (appender) { // AppenderBase.doAppend holds this lock while it appends
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    public long count(String fragment) {
        return messages().stream().filter(message -> message.contains(fragment)).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
