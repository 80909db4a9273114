package io.tributary.operations.dashboard;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tributary.operations.lake.AttributionFigures.EpochSummary;
import io.tributary.operations.lake.AttributionFigures.Overview;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

/**
 * The dashboard's own Prometheus metrics at {@code /metrics}: its HTTP traffic and live clients, its lake refreshes,
 * and the lake-derived gauges the alerting rules of docs/operations.md use (epochs open and closed but unsettled,
 * rejected inferences, the newest inference and the newest closed epoch's end).
 */
public final class DashboardMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("tributary_dashboard_http_requests_total")
            .help("Dashboard HTTP requests by route and status").labelNames("route", "status").register(registry);
    private final Gauge liveClients = Gauge.builder().name("tributary_dashboard_live_clients")
            .help("Pages connected to the server-sent event stream").register(registry);
    private final Counter refreshes = Counter.builder().name("tributary_dashboard_lake_refreshes_total")
            .help("Recomputations of the figures after a lake table's version changed").register(registry);
    private final Counter refreshFailures = Counter.builder().name("tributary_dashboard_lake_refresh_failures_total")
            .help("Lake reads that failed (the page keeps the last figures)").register(registry);
    private final Histogram refreshSeconds = Histogram.builder().name("tributary_dashboard_lake_refresh_seconds")
            .help("Time to re-read the changed tables and recompute the figures").classicOnly()
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
    private final Gauge tableVersion = Gauge.builder().name("tributary_dashboard_lake_table_version")
            .help("Latest Delta version of each lake table the dashboard reads (-1: missing)").labelNames("table").register(registry);
    private final Gauge epochs = Gauge.builder().name("tributary_dashboard_epochs")
            .help("Epochs by status (open, closed = closed by the stream but not posted, settled)").labelNames("status").register(registry);
    private final Gauge rejected = Gauge.builder().name("tributary_dashboard_rejected_inferences")
            .help("Rows of rejected_inferences by reason").labelNames("reason").register(registry);
    private final Gauge newestInference = Gauge.builder().name("tributary_dashboard_newest_inference_timestamp_seconds")
            .help("served_at of the newest inference in the inferences table (Unix seconds; 0: none)").register(registry);
    private final Gauge newestClosedEnd = Gauge.builder().name("tributary_dashboard_newest_closed_epoch_end_timestamp_seconds")
            .help("End of the newest epoch the stream closed (Unix seconds; 0: none)").register(registry);
    private final Gauge servingUp = Gauge.builder().name("tributary_dashboard_serving_up")
            .help("1 when the last scrape of the serving /metrics succeeded").register(registry);

    public void request(String route, int status) {
        requests.labelValues(route, Integer.toString(status)).inc();
    }

    public void clients(int connected) {
        liveClients.set(connected);
    }

    public void refreshed(double seconds, Overview overview) {
        refreshes.inc();
        refreshSeconds.observe(seconds);
        overview.versions().forEach((table, version) -> tableVersion.labelValues(table).set(version));
        long open = 0;
        long closed = 0;
        long settled = 0;
        for (EpochSummary epoch : overview.epochs()) {
            switch (epoch.status()) {
                case "open" -> open++;
                case "closed" -> closed++;
                default -> settled++;
            }
        }
        epochs.labelValues("open").set(open);
        epochs.labelValues("closed").set(closed);
        epochs.labelValues("settled").set(settled);
        for (Map.Entry<String, Long> reason : overview.rejections().byReason().entrySet()) {
            rejected.labelValues(reason.getKey()).set(reason.getValue());
        }
        overview.adapters().stream().map(adapter -> adapter.lastServedAt()).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).ifPresent(newest -> newestInference.set(newest.toEpochMilli() / 1000.0));
        overview.epochs().stream().map(EpochSummary::end).filter(java.util.Objects::nonNull).max(Instant::compareTo)
                .ifPresent(end -> newestClosedEnd.set(end.toEpochMilli() / 1000.0));
    }

    public void refreshFailed() {
        refreshFailures.inc();
    }

    public void serving(boolean up) {
        servingUp.set(up ? 1 : 0);
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
