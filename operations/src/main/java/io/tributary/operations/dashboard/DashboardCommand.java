package io.tributary.operations.dashboard;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.operations.lake.LakeReader;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dashboard}: serves the live attribution dashboard until stopped (SIGTERM or Ctrl-C). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve the live attribution dashboard on loopback: fees and earnings per Datanet, epoch, adapter and "
                + "contributor, serving health, and the clickable audit walk; updated within seconds of the lake's commits.")
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: tributary.dashboard.port; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default: tributary.dashboard.host, loopback).")
    String host;

    @Option(names = "--address-file", paramLabel = "FILE", description = "Write the page's address to FILE once it is listening.")
    Path addressFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        TributaryConfig config = global.config();
        DashboardServer.Settings settings = new DashboardServer.Settings(
                host != null ? host : config.string("tributary.dashboard.host"),
                port != null ? port : config.integer("tributary.dashboard.port"),
                Duration.ofMillis(config.longValue("tributary.dashboard.refresh-ms")),
                config.string("tributary.dashboard.serving-metrics"),
                toolsDirectory());
        if (settings.port() < 0 || settings.port() > 65535) {
            throw new UserError("--port " + settings.port() + " is not a TCP port (0 to 65535)");
        }
        DashboardServer server;
        try {
            server = DashboardServer.start(LakeReader.of(config), settings);
        } catch (BindException e) {
            throw new UserError("cannot listen on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "); choose another with --port");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        if (addressFile != null) {
            Path temporary = addressFile.resolveSibling(addressFile.getFileName() + ".tmp");
            Files.writeString(temporary, server.address() + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, addressFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", server.address());
        json.put("metrics", server.address() + "metrics");
        json.put("lake", config.lakeRoot());
        CommandOutput.of(global).print(json, () -> "dashboard at " + server.address() + " (lake " + config.lakeRoot()
                + "; Prometheus metrics at " + server.address() + "metrics); stop with Ctrl-C");
        stopped.await();
        return 0;
    }

    /** The npm tools directory (chart.js): TRIBUTARY_TOOLS as the launcher sets it, else tools/node_modules under the home. */
    static Path toolsDirectory() {
        String configured = System.getenv("TRIBUTARY_TOOLS");
        return configured != null && !configured.isBlank() ? Path.of(configured) : TributaryConfig.home().resolve("tools/node_modules");
    }
}
