package io.tributary.settlement.chain;

import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * An Anvil node on loopback, from the npm package the project installs into tools/node_modules (no other
 * download). Attached nodes die with their handle (tests, benchmarks); detached ones outlive the JVM
 * (`chain up`) and are found again through their pid file.
 */
public final class Anvil implements AutoCloseable {
    public static final long CHAIN_ID = 31337;
    private final Process process;
    private final int port;

    private Anvil(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Path binary() {
        String tools = System.getenv("TRIBUTARY_TOOLS");
        List<Path> candidates = new ArrayList<>();
        if (tools != null && !tools.isBlank()) {
            candidates.add(Path.of(tools));
        }
        candidates.add(ChainSettings.home().resolve("tools/node_modules"));
        candidates.add(Path.of("").toAbsolutePath().resolve("../tools/node_modules").normalize());
        for (Path root : candidates) {
            Path binary = root.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
            if (Files.isExecutable(binary)) {
                return binary;
            }
        }
        throw new UserError("anvil not found under " + candidates + "; run `cd tools && npm ci` (bin/tributary does it)");
    }

    /** Starts Anvil on {@code port}; {@code stateFile} (when given) is loaded at start and dumped on exit. */
    public static Anvil start(int port, Optional<Path> stateFile, Path log, List<String> extraArguments) {
        return launch(port, CHAIN_ID, stateFile, log, extraArguments, false);
    }

    /** Starts an Anvil with another chain id: a stand-in for a node this project did not start (tests). */
    public static Anvil startForeign(int port, long chainId, Path log) {
        return launch(port, chainId, Optional.empty(), log, List.of(), false);
    }

    /** Starts Anvil in its own session so that it keeps running after this JVM exits. */
    public static Anvil startDetached(int port, Path stateFile, Path log) {
        return launch(port, CHAIN_ID, Optional.of(stateFile), log, List.of("--state-interval", "2"), true);
    }

    private static Anvil launch(int port, long chainId, Optional<Path> stateFile, Path log, List<String> extra,
                                boolean detached) {
        List<String> command = new ArrayList<>();
        if (detached) {
            command.add("setsid");
        }
        command.addAll(List.of(binary().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId)));
        stateFile.ifPresent(file -> command.addAll(List.of("--state", file.toString())));
        command.addAll(extra);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Anvil anvil = new Anvil(process, port);
            anvil.awaitReady(Duration.ofSeconds(30), log);
            return anvil;
        } catch (IOException e) {
            throw new UserError("cannot start anvil: " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new UserError("anvil exited at start (status " + process.exitValue() + "); see " + log);
            }
            if (answers(rpcUrl())) {
                return;
            }
            RetryPolicy.sleep(100);
        }
        process.destroy();
        throw new UserError("anvil did not answer on " + rpcUrl() + " within " + timeout.toSeconds() + " s; see " + log);
    }

    public static boolean answers(String rpcUrl) {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            BigInteger id = web3j.ethChainId().send().getChainId();
            return id != null;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            web3j.shutdown();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops gracefully (SIGTERM), which makes Anvil dump its state file; waits for it to exit. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
