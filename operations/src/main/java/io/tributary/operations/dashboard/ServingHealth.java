package io.tributary.operations.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inference server's health as its Prometheus {@code /metrics} shows it: reachable or not, requests by status,
 * queue and batch, and the adapter cache per tier. Scraped by the dashboard; the server's metric names are the
 * serving module's ({@code tributary_*}, docs/operations.md lists them).
 */
public record ServingHealth(String url, boolean up, String error, Instant scrapedAt, Map<String, Double> requestsByStatus,
                            double queueDepth, double runningSequences, double logFailures, List<Tier> tiers) {

    /** One adapter-cache tier (device, host, disk). */
    public record Tier(String tier, double residentAdapters, double residentBytes, double hits, double misses, double loads,
                       double evictions) {}

    public static ServingHealth notConfigured() {
        return new ServingHealth("", false, "tributary.dashboard.serving-metrics is not set", Instant.now(), Map.of(), 0, 0, 0, List.of());
    }

    public static ServingHealth scrape(HttpClient client, String url) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return down(url, "HTTP " + response.statusCode());
            }
            return parse(url, response.body());
        } catch (IOException | IllegalArgumentException e) {
            return down(url, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(url, "interrupted");
        }
    }

    static ServingHealth down(String url, String error) {
        return new ServingHealth(url, false, error, Instant.now(), Map.of(), 0, 0, 0, List.of());
    }

    /** Reads the Prometheus text format (samples only; comments and metadata are skipped). */
    static ServingHealth parse(String url, String text) {
        Map<String, Double> requests = new TreeMap<>();
        Map<String, double[]> tiers = new TreeMap<>();
        double queue = 0;
        double running = 0;
        double logFailures = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Sample sample = Sample.parse(line);
            if (sample == null) {
                continue;
            }
            switch (sample.name) {
                case "tributary_requests_total" -> requests.merge(sample.label("status"), sample.value, Double::sum);
                case "tributary_queue_depth" -> queue = sample.value;
                case "tributary_running_sequences" -> running = sample.value;
                case "tributary_inference_log_failures_total" -> logFailures = sample.value;
                case "tributary_adapter_cache_resident_adapters" -> tier(tiers, sample)[0] = sample.value;
                case "tributary_adapter_cache_resident_bytes" -> tier(tiers, sample)[1] = sample.value;
                case "tributary_adapter_cache_hits_total" -> tier(tiers, sample)[2] = sample.value;
                case "tributary_adapter_cache_misses_total" -> tier(tiers, sample)[3] = sample.value;
                case "tributary_adapter_cache_loads_total" -> tier(tiers, sample)[4] = sample.value;
                case "tributary_adapter_cache_evictions_total" -> tier(tiers, sample)[5] = sample.value;
                default -> { }
            }
        }
        List<Tier> tierList = new ArrayList<>();
        tiers.forEach((tier, values) -> tierList.add(new Tier(tier, values[0], values[1], values[2], values[3], values[4], values[5])));
        return new ServingHealth(url, true, null, Instant.now(), requests, queue, running, logFailures, tierList);
    }

    private static double[] tier(Map<String, double[]> tiers, Sample sample) {
        return tiers.computeIfAbsent(sample.label("tier"), tier -> new double[6]);
    }

    /** One sample line: {@code name{label="value",...} value [timestamp]}. */
    private record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.getOrDefault(key, "");
        }

        static Sample parse(String line) {
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new TreeMap<>();
            String rest;
            if (brace >= 0 && (space < 0 || brace < space)) {
                int close = line.lastIndexOf('}');
                if (close < brace) {
                    return null;
                }
                name = line.substring(0, brace);
                for (String pair : line.substring(brace + 1, close).split(",")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0) {
                        labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim().replaceAll("^\"|\"$", ""));
                    }
                }
                rest = line.substring(close + 1).trim();
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            } else {
                return null;
            }
            String number = rest.split("\\s+")[0];
            try {
                return new Sample(name, labels, Double.parseDouble(number.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
