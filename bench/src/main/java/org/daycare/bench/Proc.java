package org.daycare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads /proc: the memory figure's resident set sizes. */
final class Proc {

    private Proc() {
    }

    /** A "NAME: N kB" line of /proc/PID/status, in KiB; -1 when the process is gone. */
    static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException gone) {
            return -1;
        }
    }

    /** User plus system CPU time of the process so far, in clock ticks (1/100 s); -1 when it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * Samples a process's VmRSS every 100 ms on a daemon thread while a window is open, so that the memory figure
     * is taken under load (the windows are the registration runs), never at rest.
     */
    static final class RssSampler implements AutoCloseable {
        private final long pid;
        private final List<Long> samples = new CopyOnWriteArrayList<>();
        private volatile boolean open;
        private volatile boolean stopped;
        private final Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::loop, "rss-sampler-" + pid);
            thread.setDaemon(true);
            thread.start();
        }

        void open() {
            open = true;
        }

        void pause() {
            open = false;
        }

        List<Long> samplesKib() {
            return new ArrayList<>(samples);
        }

        private void loop() {
            while (!stopped) {
                if (open) {
                    long rss = statusKib(pid, "VmRSS");
                    if (rss > 0) {
                        samples.add(rss);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            stopped = true;
            thread.interrupt();
        }
    }
}
