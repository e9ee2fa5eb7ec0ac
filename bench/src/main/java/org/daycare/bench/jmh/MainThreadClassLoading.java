package org.daycare.bench.jmh;

/**
 * The JMH forks' Java agent ({@code -javaagent:bench/target/bench-agent.jar}): loads the application's
 * {@code org.daycare.registration.workflow.TaskResult} on the JVM's main thread before anything else, as the shipped
 * application does (Camel Main introspects the workflow beans at start-up, on the main thread).
 *
 * <p>Why it matters (a finding of the suite, see docs/benchmarks.md): TaskResult has both {@code statusCode()} and
 * {@code getStatusCode()}, and the routes ask for {@code ${body.statusCode}}. Camel 4.17's BeanInfo registers a
 * method under an existing getter's operation when the getter was introspected first (its getOperations falls back
 * to getter short names), which makes {@code statusCode} ambiguous, and every execution then fails. Which of the two
 * comes first is the order of {@code Class.getDeclaredMethods()}, which HotSpot does not fix: here it is
 * {@code statusCode} first when the class is loaded by the main thread and {@code getStatusCode} first when it is
 * loaded by any other thread, such as JMH's benchmark thread. This agent only picks the shipped order; it changes
 * no byte of the application.
 */
public final class MainThreadClassLoading {

    private MainThreadClassLoading() {
    }

    public static void premain(String arguments) throws ClassNotFoundException {
        Class.forName("org.daycare.registration.workflow.TaskResult", true,
                MainThreadClassLoading.class.getClassLoader());
    }
}
