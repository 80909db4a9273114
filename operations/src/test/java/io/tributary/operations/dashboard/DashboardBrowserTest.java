package io.tributary.operations.dashboard;

import static io.tributary.operations.AttributionLakeFixture.ALICE;
import static io.tributary.operations.AttributionLakeFixture.TEXT_A1;
import static io.tributary.operations.AttributionLakeFixture.contributionId;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.operations.AttributionLakeFixture;
import io.tributary.operations.lake.LakeReader;
import io.tributary.operations.lake.OperationsJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by playwright-core (tools/), against a lake with
 * known epochs and a serving /metrics endpoint. The browser script (src/test/js/dashboard-browser.mjs) checks the
 * numbers, the charts' pixels, a live update after a lake commit and the audit walk by clicks, and saves the
 * screenshots linked from the module README (docs/screenshots/).
 */
class DashboardBrowserTest {
    /** A serving /metrics page as the serving module writes it (its metric names and labels). */
    private static final String SERVING_METRICS = """
            # TYPE tributary_requests_total counter
            tributary_requests_total{adapter="base",status="200"} 41.0
            tributary_requests_total{adapter="base",status="429"} 2.0
            tributary_queue_depth 3.0
            tributary_running_sequences 5.0
            tributary_adapter_cache_resident_adapters{tier="device"} 2.0
            tributary_adapter_cache_resident_bytes{tier="device"} 2097152.0
            tributary_adapter_cache_hits_total{tier="device"} 39.0
            tributary_adapter_cache_misses_total{tier="device"} 2.0
            tributary_adapter_cache_resident_adapters{tier="host"} 4.0
            tributary_inference_log_failures_total 0.0
            """;

    @TempDir
    static Path directory;
    static AttributionLakeFixture fixture;
    static AttributionLakeFixture.Written written;
    static HttpServer serving;
    static DashboardServer dashboard;

    @BeforeAll
    static void start() throws IOException {
        fixture = new AttributionLakeFixture(directory.resolve("lake"));
        written = fixture.write();
        serving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serving.createContext("/metrics", exchange -> {
            byte[] body = SERVING_METRICS.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        serving.start();
        dashboard = DashboardServer.start(new LakeReader(KernelTable.engine(Map.of()), fixture.lake()),
                new DashboardServer.Settings("127.0.0.1", 0, Duration.ofMillis(500),
                        "http://127.0.0.1:" + serving.getAddress().getPort() + "/metrics", tools()));
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (serving != null) {
            serving.stop(0);
        }
    }

    @Test
    void thePageShowsTheLakeUpdatesLiveAndWalksAnAuditByClicks() throws Exception {
        Path screenshots = Path.of("docs/screenshots").toAbsolutePath();
        Files.createDirectories(screenshots);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("url", dashboard.address());
        expected.put("settled", AttributionLakeFixture.SETTLED);
        expected.put("closed", AttributionLakeFixture.CLOSED);
        expected.put("open", AttributionLakeFixture.OPEN);
        expected.put("feesSettled", "4500000");
        expected.put("legalSettled", List.of("3000000", "2400000", "450000", "150000"));
        expected.put("alice", ALICE.address().value());
        expected.put("aliceTotal", "3200000");
        expected.put("alicePayoutSettled", "1600000");
        expected.put("quote", TEXT_A1.substring(0, 40));
        expected.put("anchorTx", written.anchorTxByBatch().get(written.batchOf().get(contributionId(TEXT_A1))));
        ProcessBuilder builder = new ProcessBuilder("node", Path.of("src/test/js/dashboard-browser.mjs").toAbsolutePath().toString())
                .redirectErrorStream(true);
        builder.environment().put("TOOLS", tools().toString());
        builder.environment().put("SCREENSHOTS", screenshots.toString());
        builder.environment().put("EXPECTED", OperationsJson.MAPPER.writeValueAsString(expected));
        Process browser = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
             Writer input = new java.io.OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            int appends = 0;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals("APPEND")) {
                    // New commits while the page is open: one on the overview, one while the audit walk is open.
                    fixture.appendOpenInference(appends++ == 0 ? "fixture-live" : "fixture-live-" + appends, 4_000_000);
                    input.write("appended\n");
                    input.flush();
                }
            }
        } finally {
            if (!browser.waitFor(60, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
        String transcript = String.join("\n", output);
        System.out.println(transcript);
        assertThat(browser.exitValue()).as(transcript).isZero();
        assertThat(output).as(transcript).contains("OK");
        assertThat(screenshots.resolve("overview.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("contributor.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("audit.png")).isNotEmptyFile();
    }

    @Test
    void ownMetricsAreServedAndListedInTheOperationsDoc() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(dashboard.address() + "api/audit?account=0x12&epoch=" + AttributionLakeFixture.SETTLED)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not a 0x address");
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(dashboard.address() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("tributary_dashboard_epochs{status=\"settled\"} 1.0")
                .contains("tributary_dashboard_rejected_inferences{reason=\"bad_json\"} 1.0")
                .contains("tributary_dashboard_serving_up 1.0")
                .contains("tributary_dashboard_newest_closed_epoch_end_timestamp_seconds "
                        + (double) AttributionLakeFixture.epochStart(AttributionLakeFixture.OPEN).getEpochSecond());
        // docs/operations.md lists exactly the metrics the dashboard exports.
        Set<String> exported = new TreeSet<>();
        Matcher help = Pattern.compile("(?m)^# HELP (tributary_dashboard_\\w+)").matcher(metrics.body());
        while (help.find()) {
            exported.add(help.group(1));
        }
        Set<String> documented = new TreeSet<>();
        Matcher named = Pattern.compile("`(tributary_dashboard_\\w+)").matcher(Files.readString(Path.of("../docs/operations.md")));
        while (named.find()) {
            documented.add(named.group(1));
        }
        assertThat(exported).isNotEmpty().isEqualTo(documented);
    }

    /** The npm tools directory with playwright-core and chart.js: TRIBUTARY_TOOLS, else tools/node_modules above this module. */
    static Path tools() {
        String configured = System.getenv("TRIBUTARY_TOOLS");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("tools/node_modules/playwright-core"))) {
                return at.resolve("tools/node_modules");
            }
        }
        throw new IllegalStateException("tools/node_modules/playwright-core not found: run bin/tributary setup (npm ci in tools/)");
    }
}
