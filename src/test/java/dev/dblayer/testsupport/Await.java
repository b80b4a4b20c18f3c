package dev.dblayer.testsupport;

import java.util.function.IntSupplier;

/** Waiting for a count to come down, for tests of what closing releases. */
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
}
