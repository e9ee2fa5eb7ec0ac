package org.daycare.bench.floors;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The file drop's floor: a bare Camel file route with the application's consumer options (the shipped defaults:
 * include *.json, readLock=changed with a 1 s minimum age checked every 250 ms, polls of at most 500 files, greedy
 * (the next poll at once after one that found files, else after 500 ms), the timestamped move to the archive) and its result writer (NAME.result.json through a temporary name),
 * copying each file as its own "result": everything the file drop does except the registration itself.
 * Writes {@code bench.ready} once started.
 */
public final class BareFileRoute {

    private BareFileRoute() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("bench.data")).toAbsolutePath();
        String inbox = data.resolve("inbox").toString();
        String outbox = data.resolve("outbox").toString();
        String archive = data.resolve("archive").toString();
        Path ready = data.resolve("bench.ready");
        Files.deleteIfExists(ready);
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?include=.*\\.json&readLock=changed&readLockMinAge="
                        + System.getProperty("bench.min-age", "1s")
                        + "&readLockCheckInterval=" + System.getProperty("bench.check-interval", "250")
                        + "&delay=" + System.getProperty("bench.poll-delay", "500")
                        + "&maxMessagesPerPoll=" + System.getProperty("bench.max-per-poll", "500") + "&greedy=true"
                        + "&move=" + archive + "/${file:onlyname.noext}.${date:now:yyyyMMdd-HHmmss-SSS}.json")
                        .routeId("bare-file-drop")
                        .to("file:" + outbox + "?fileName=${file:onlyname.noext}.result.json&tempPrefix=.writing-");
            }
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                try {
                    Files.writeString(ready, "ready");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        main.run();
    }
}
