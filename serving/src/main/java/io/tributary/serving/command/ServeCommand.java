package io.tributary.serving.command;

import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.serving.InferenceServer;
import io.tributary.serving.ServingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: runs the server until SIGTERM or SIGINT, then drains and completes the log. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the base model and its registered LoRA adapters over an OpenAI-compatible HTTP API.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;
    @Option(names = "--model", description = "Base model directory (default: tributary.serving.base-model).")
    Path model;
    @Option(names = "--host", description = "Address to listen on (default: tributary.serving.host, loopback).")
    String host;
    @Option(names = "--port", description = "Port; 0 picks a free one (default: tributary.serving.port).")
    Integer port;
    @Option(names = "--quantize", description = "Base weights: none or int8 (default: tributary.serving.quantize).")
    String quantize;
    @Option(names = "--port-file", description = "Write the port here once the server accepts requests (for scripts).")
    Path portFile;

    @Override
    public Integer call() throws InterruptedException {
        TributaryConfig config = global.config();
        ServingSettings settings = ServingSettings.from(config);
        if (model != null) {
            settings = settings.withBaseModel(model.toString());
        }
        if (host != null || port != null) {
            settings = settings.withAddress(host != null ? host : settings.host(), port != null ? port : settings.port());
        }
        if (quantize != null) {
            settings = settings.withQuantize(ServingSettings.quantization(quantize, "--quantize"));
        }
        InferenceServer server = InferenceServer.start(settings, config.lakeRoot(), config.map("tributary.hadoop.conf"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-shutdown"));
        if (portFile != null) {
            try {
                Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
                Files.writeString(partial, server.port() + "\n");
                Files.move(partial, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                server.close();
                throw new UserError("cannot write --port-file " + portFile + ": " + e.getMessage(), e);
            }
        }
        System.out.println("serving on " + server.baseUrl() + " (stop with Ctrl-C or SIGTERM)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
