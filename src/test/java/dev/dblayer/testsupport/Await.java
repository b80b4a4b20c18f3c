package dev.dblayer.testsupport;

import java.util.function.IntSupplier;

/** Waiting for a count to come down, for tests of what closing releases, or for a condition. */
public final class Await {

    private Await() {
    }

    /** {@code value} once it is at most {@code target}, or its last reading after 10 s. */
    public static int atMost(IntSupplier value, int target) throws InterruptedException {
        int current = value.getAsInt();
        for (int i = 0; i < 100 && current > target; i++) {
            Thread.sleep(100);
            current = value.getAsInt();
        }
        return current;
    }

    /**
     * Whether {@code condition} came true within {@code limit}, asked every 50 ms; a throw counts as
     * not yet (the thing awaited may still be failing).
     */
    public static boolean until(java.time.Duration limit, java.util.concurrent.Callable<Boolean> condition)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        do {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return false;
    }
}
