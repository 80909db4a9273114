package io.tributary.operations.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.core.error.InputError;
import io.tributary.operations.audit.Auditor;
import io.tributary.operations.lake.AttributionFigures;
import io.tributary.operations.lake.AttributionFigures.Overview;
import io.tributary.operations.lake.LakeReader;
import io.tributary.operations.lake.OperationsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live dashboard over the JDK's HTTP server: a static page (classpath {@code dashboard/}), Chart.js from the
 * npm tools directory, JSON of the figures, the contributor view and the audit walk, and a server-sent event stream
 * that pushes the figures whenever a lake table's version moves (checked every {@code refresh-ms}) or the serving
 * health changes. Figures come from {@link AttributionFigures} and {@link Auditor}, as the CLI's do.
 */
public final class DashboardServer implements AutoCloseable {
    /** Seconds between keep-alive comments on an idle event stream (so proxies and browsers keep it open). */
    private static final long KEEP_ALIVE_SECONDS = 15;
    private static final Map<String, String> STATIC = Map.of(
            "/", "dashboard/index.html",
            "/index.html", "dashboard/index.html",
            "/app.js", "dashboard/app.js",
            "/style.css", "dashboard/style.css");

    /** Where and how the dashboard runs. {@code servingMetrics} "" hides serving health; {@code toolsDirectory} holds chart.js. */
    public record Settings(String host, int port, Duration refresh, String servingMetrics, Path toolsDirectory) {
        public Settings {
            Objects.requireNonNull(host, "host");
            if (refresh.isNegative() || refresh.isZero()) {
                throw new IllegalArgumentException("tributary.dashboard.refresh-ms must be positive, got " + refresh.toMillis());
            }
        }
    }

    private final Settings settings;
    private final AttributionFigures figures;
    private final Auditor auditor;
    private final DashboardMetrics metrics = new DashboardMetrics();
    private final HttpClient scrapeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("dashboard-http"));
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-refresh"));
    private final AtomicInteger clients = new AtomicInteger();
    private final Object stateLock = new Object();
    private Map<String, Long> versions = Map.of();
    private byte[] state;
    private long generation;
    private volatile boolean closed;

    private DashboardServer(LakeReader lake, Settings settings) throws IOException {
        this.settings = settings;
        this.figures = new AttributionFigures(lake);
        this.auditor = new Auditor(lake);
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        server.setExecutor(handlers);
        server.createContext("/", this::route);
    }

    /** Reads the lake once (so the first page is complete), then serves and refreshes in the background. */
    public static DashboardServer start(LakeReader lake, Settings settings) throws IOException {
        DashboardServer dashboard = new DashboardServer(lake, settings);
        dashboard.refresh();
        dashboard.server.start();
        dashboard.refresher.scheduleWithFixedDelay(dashboard::refreshQuietly, settings.refresh().toMillis(), settings.refresh().toMillis(),
                TimeUnit.MILLISECONDS);
        return dashboard;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "http://" + settings.host() + ":" + port() + "/";
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A half-written table or a lake briefly unreachable: keep showing the last figures, try again next tick.
            metrics.refreshFailed();
            System.err.println("dashboard: cannot refresh from the lake: " + e.getMessage());
        }
    }

    /** Recomputes the figures when a table's version moved, re-scrapes serving, and wakes the event streams on any change. */
    void refresh() {
        Map<String, Long> now = figures.versions();
        ServingHealth serving = settings.servingMetrics().isEmpty() ? ServingHealth.notConfigured()
                : ServingHealth.scrape(scrapeClient, settings.servingMetrics());
        metrics.serving(serving.up());
        Overview overview = null;
        if (!now.equals(versions) || state == null) {
            long started = System.nanoTime();
            overview = figures.overview(now);
            metrics.refreshed((System.nanoTime() - started) / 1e9, overview);
        }
        synchronized (stateLock) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("overview", overview != null ? overview : currentOverview());
            document.put("serving", serving);
            byte[] next = OperationsJson.bytes(document);
            versions = now;
            if (state == null || changedBeyondTimes(next)) {
                state = next;
                generation++;
                stateLock.notifyAll();
            }
        }
    }

    private Object currentOverview() {
        try {
            return OperationsJson.MAPPER.readTree(state).get("overview");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scrape and computation times change every tick: only a change elsewhere is news for the pages. */
    private boolean changedBeyondTimes(byte[] next) {
        try {
            com.fasterxml.jackson.databind.JsonNode before = OperationsJson.MAPPER.readTree(state);
            com.fasterxml.jackson.databind.JsonNode after = OperationsJson.MAPPER.readTree(next);
            ((com.fasterxml.jackson.databind.node.ObjectNode) before.get("serving")).remove("scraped_at");
            ((com.fasterxml.jackson.databind.node.ObjectNode) after.get("serving")).remove("scraped_at");
            return !before.equals(after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String route = STATIC.containsKey(path) ? "static" : path.startsWith("/vendor/") ? "vendor" : path;
        int status;
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                status = send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
            } else if (STATIC.containsKey(path)) {
                status = resource(exchange, STATIC.get(path));
            } else if (path.equals("/vendor/chart.umd.min.js")) {
                status = chartJs(exchange);
            } else if (path.equals("/api/state")) {
                byte[] current;
                synchronized (stateLock) {
                    current = state;
                }
                status = send(exchange, 200, "application/json", current);
            } else if (path.equals("/api/contributor")) {
                String account = Auditor.account(parameter(exchange, "account")).value();
                status = send(exchange, 200, "application/json", OperationsJson.bytes(figures.contributor(account)));
            } else if (path.equals("/api/audit")) {
                long epoch = epoch(parameter(exchange, "epoch"));
                status = send(exchange, 200, "application/json",
                        OperationsJson.bytes(auditor.walk(Auditor.account(parameter(exchange, "account")), epoch)));
            } else if (path.equals("/api/events")) {
                status = events(exchange);
            } else if (path.equals("/metrics")) {
                exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    metrics.write(out);
                }
                status = 200;
            } else if (path.equals("/health")) {
                status = send(exchange, closed ? 503 : 200, "text/plain", (closed ? "closing\n" : "ok\n").getBytes(StandardCharsets.UTF_8));
            } else {
                route = "other";
                status = send(exchange, 404, "text/plain", ("no such page: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InputError | IllegalArgumentException e) {
            status = send(exchange, 400, "application/json", OperationsJson.bytes(Map.of("error", String.valueOf(e.getMessage()))));
        } catch (RuntimeException e) {
            status = send(exchange, 500, "application/json", OperationsJson.bytes(Map.of("error", String.valueOf(e.getMessage()))));
        } finally {
            exchange.close();
        }
        metrics.request(route, status);
    }

    private static long epoch(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch '" + text + "' is not an integer");
        }
    }

    private static String parameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals(name)) {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalArgumentException("missing query parameter '" + name + "'");
    }

    /** Server-sent events: the current state at once, then each new state; a comment every 15 s keeps it open. */
    private int events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        metrics.clients(clients.incrementAndGet());
        long seen = -1;
        try (OutputStream out = exchange.getResponseBody()) {
            while (!closed) {
                byte[] next = null;
                synchronized (stateLock) {
                    if (generation == seen) {
                        stateLock.wait(TimeUnit.SECONDS.toMillis(KEEP_ALIVE_SECONDS));
                    }
                    if (generation != seen) {
                        seen = generation;
                        next = state;
                    }
                }
                if (next != null) {
                    out.write("event: state\ndata: ".getBytes(StandardCharsets.UTF_8));
                    out.write(OperationsJson.MAPPER.writeValueAsBytes(OperationsJson.MAPPER.readTree(next))); // one line
                    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            }
        } catch (IOException e) {
            // The page went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            metrics.clients(clients.decrementAndGet());
        }
        return 200;
    }

    private int resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the operations module");
            }
            return send(exchange, 200, contentType(name), in.readAllBytes());
        }
    }

    private int chartJs(HttpExchange exchange) throws IOException {
        Path file = settings.toolsDirectory() == null ? null : settings.toolsDirectory().resolve("chart.js/dist/chart.umd.min.js");
        if (file == null || !Files.isRegularFile(file)) {
            return send(exchange, 404, "text/plain", ("chart.js is not installed under " + settings.toolsDirectory()
                    + " (bin/tributary setup installs the npm tools)\n").getBytes(StandardCharsets.UTF_8));
        }
        return send(exchange, 200, "text/javascript; charset=utf-8", Files.readAllBytes(file));
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }

    private static int send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType.contains("charset") || !contentType.startsWith("application/json")
                ? contentType : contentType + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        closed = true;
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
        refresher.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }
}
