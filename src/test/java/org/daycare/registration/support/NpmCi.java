package org.daycare.registration.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The tests' npm packages (the fauxqs emulator, axe-core), installed on a fresh clone by `npm ci` from the committed
 * package-lock.json, because the README's test command is plain {@code mvn verify}. A failure says why and how to
 * install by hand: the tests that need the package then fail, never skip.
 */
final class NpmCi {

    private NpmCi() {
    }

    /**
     * Runs {@code npm ci} in {@code dir} (its output in target/{@code name}-npm-ci.log).
     *
     * @param needs who needs it, for the messages ("the SNS tests need it to install the fauxqs emulator")
     * @param hint how to install it by hand
     */
    static synchronized void install(Path dir, String name, String needs, String hint) {
        Path log = Path.of("target", name + "-npm-ci.log");
        try {
            Files.createDirectories(log.getParent());
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("`npm ci` in " + dir + " did not finish within 5 minutes (see " + log + ")");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("`npm ci` in " + dir + " failed with exit code " + npm.exitValue()
                        + " (see " + log + "); " + hint);
            }
        } catch (IOException e) {
            throw new IllegalStateException("npm was not found on the PATH; " + needs + ": install Node.js >= 20 with"
                    + " npm, then " + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + name, e);
        }
    }
}
