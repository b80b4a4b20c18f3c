package dev.dblayer.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One increment sent straight to an instance, holding its transaction open for a while. */
final class InFlight {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String id;
    private final CompletableFuture<HttpResponse<String>> response;

    private InFlight(String id, CompletableFuture<HttpResponse<String>> response) {
        this.id = id;
        this.response = response;
    }

    static InFlight send(int port, String counter, Duration hold) {
        String id = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/counters/" + counter))
                .timeout(hold.plusSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"holdMs\":" + hold.toMillis() + "}"))
                .build();
        return new InFlight(id, HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    String id() {
        return id;
    }

    /** The HTTP status it was answered with; an AssertionError when no answer came. */
    int status(Duration timeout) throws InterruptedException {
        return answer(timeout).statusCode();
    }

    private HttpResponse<String> answer(Duration timeout) throws InterruptedException {
        HttpResponse<String> answer;
        try {
            answer = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the increment in flight at SIGTERM failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the increment in flight at SIGTERM had no answer within " + timeout);
        }
        return answer;
    }
}
