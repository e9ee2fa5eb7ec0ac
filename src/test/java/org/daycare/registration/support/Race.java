package org.daycare.registration.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Contenders released together: each runs on a thread of its own, all waiting at a barrier until every one is there. */
public final class Race {

    private Race() {
    }

    /** The contenders' results, in the order they were given; a contender's failure fails the race. */
    public static <T> List<T> of(int contenders, Callable<T> contender) throws Exception {
        return each(java.util.Collections.nCopies(contenders, contender));
    }

    /** Different contenders (e.g. the same call on different instances), released together; results in their order. */
    public static <T> List<T> each(List<Callable<T>> contenders) throws Exception {
        CyclicBarrier startGate = new CyclicBarrier(contenders.size());
        ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
        try {
            List<Future<T>> started = new ArrayList<>();
            for (Callable<T> contender : contenders) {
                started.add(pool.submit(() -> {
                    startGate.await(10, TimeUnit.SECONDS);
                    return contender.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> result : started) {
                results.add(result.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
