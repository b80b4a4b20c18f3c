package dev.dblayer.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A steady write load: a few threads, each sending one increment at a time (an id of its own per
 * request, {@link #PAUSE} between two) until stopped, for at most {@link #MAX_REQUESTS} requests and {@link #MAX_TIME}. An
 * increment is acknowledged by its 201; anything else (another status, a socket error, a timeout) is
 * a failure, described in a few words.
 */
final class IncrementLoad {

    static final int MAX_REQUESTS = 200_000;
    static final Duration MAX_TIME = Duration.ofMinutes(4);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The pause of each thread between two requests: steady, and leaves the 2 cores room to start servers. */
    static final Duration PAUSE = Duration.ofMillis(10);

    /** What the load did: the acknowledged ids, the failures, the requests sent and the time taken. */
    record Result(Set<String> acknowledged, List<String> failures, long sent, Duration took) {
        @Override
        public String toString() {
            return sent + " increments sent in " + took.toMillis() + " ms, " + acknowledged.size() + " acknowledged, "
                    + failures.size() + " failed";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final long start = System.nanoTime();
    private volatile Result result;

    private IncrementLoad(String base, String counter) {
        this.target = URI.create(base + "/api/counters/" + counter);
    }

    static IncrementLoad start(String base, String counter, int threads) {
        IncrementLoad load = new IncrementLoad(base, counter);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(load::run, "increments-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    long acknowledged() {
        return acknowledged.size();
    }

    private void run() {
        long deadline = start + MAX_TIME.toNanos();
        while (!stopping.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= MAX_REQUESTS) {
            String id = UUID.randomUUID().toString();
            HttpRequest request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    acknowledged.add(id);
                } else {
                    failures.add(id + ": HTTP " + response.statusCode() + " " + abbreviated(response.body()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(id + ": interrupted");
                return;
            } catch (Exception e) {
                failures.add(id + ": " + e);
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }

    /** Stops the threads (each finishes its request in flight) and answers what the load did. Idempotent. */
    synchronized Result stop() throws InterruptedException {
        if (result == null) {
            stopping.set(true);
            for (Thread thread : threads) {
                thread.join(REQUEST_TIMEOUT.toMillis() + 5000);
            }
            long requests = Math.min(sent.get(), MAX_REQUESTS);
            result = new Result(Set.copyOf(acknowledged), List.copyOf(failures), requests,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        return result;
    }
}
