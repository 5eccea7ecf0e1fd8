package io.samsa.it.metrics;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test kit: GETs a broker's HTTP routes over a real socket and reads the Prometheus text format as a scraper would:
 * one sample per line, {@code name{labels} value}.
 *
 * @param status      the HTTP status
 * @param contentType the Content-Type header
 * @param body        the body as text
 */
record Scrape(int status, String contentType, String body) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    static Scrape get(InetSocketAddress http, String path) throws Exception {
        return get(http, path, null);
    }

    static Scrape get(InetSocketAddress http, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.getPort() + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Scrape(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /** Every sample: {@code name{labels}} (labels as written, in the registry's order) to its value. */
    Map<String, Double> samples() {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** The value of {@code name} with exactly these labels (e.g. {@code topic="events"}), or NaN when absent. */
    double value(String name, String labels) {
        return samples().getOrDefault(labels.isEmpty() ? name : name + "{" + labels + "}", Double.NaN);
    }

    /** The sum of every sample of {@code name} whose labels contain {@code labelPart} (e.g. {@code consumergroup="g"}). */
    double sum(String name, String labelPart) {
        return samples().entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> labelPart.isEmpty() || e.getKey().contains(labelPart))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
