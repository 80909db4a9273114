package io.tributary.settlement.chain;

import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * The embedded chain: one Anvil on loopback whose state survives restarts (anvil-state.json under the state
 * directory), with the contracts deployed once and their addresses in deployment.json. Starting it is
 * idempotent: a running chain with its contracts is left as it is.
 */
public final class LocalChain {
    private final ChainSettings settings;

    public LocalChain(ChainSettings settings) {
        this.settings = settings;
    }

    public Map<String, Object> up(int port) {
        Path dir = settings.stateDir();
        String url = "http://127.0.0.1:" + port;
        String status;
        if (Anvil.answers(url)) {
            if (!runsOurAnvil(dir, url, Anvil.CHAIN_ID)) {
                throw new UserError("a node that `chain up` did not start answers on " + url + "; refusing to use the"
                        + " well-known dev key there: stop it or set tributary.chain.local-port to a free port");
            }
            status = "running";
        } else {
            Anvil anvil = Anvil.startDetached(port, dir.resolve("anvil-state.json"), dir.resolve("anvil.log"));
            writePid(anvil.pid());
            status = "started";
        }
        Optional<Deployment> existing = Deployment.read(dir).filter(d -> d.rpcUrl().equals(url) && hasCode(d));
        Deployment deployment;
        if (existing.isPresent()) {
            deployment = existing.get();
        } else {
            deployment = ContractDeployer.deploy(url, OperatorKey.anvilDevKey(), settings, Optional.empty(), true);
            deployment.write(dir);
            status = status + "+deployed";
        }
        Map<String, Object> json = deployment.toJson();
        json.put("status", status);
        json.put("state_dir", dir.toString());
        return json;
    }

    public Map<String, Object> down() {
        Path pidFile = settings.stateDir().resolve("anvil.pid");
        Map<String, Object> json = new LinkedHashMap<>();
        if (!Files.isRegularFile(pidFile)) {
            json.put("status", "not_running");
            return json;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new UserError("cannot read " + pidFile + ": " + e.getMessage());
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(command -> command.endsWith("anvil")).orElse(false));
        if (process.isPresent()) {
            // SIGTERM: Anvil writes its state file on the way out, so the next `chain up` finds the contracts.
            process.get().destroy();
            try {
                process.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new UserError("anvil (pid " + pid + ") did not stop within 20 s");
            }
            json.put("status", "stopped");
        } else {
            json.put("status", "not_running");
        }
        json.put("pid", pid);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UserError("cannot remove " + pidFile + ": " + e.getMessage());
        }
        return json;
    }

    /**
     * True when {@code rpcUrl} is served by the Anvil that {@code chain up} started from {@code stateDir}: a
     * loopback URL, chain id 31337, and the process in {@code anvil.pid} alive and an anvil. Only then may the
     * well-known dev key sign: any other node, even on loopback, is someone else's chain.
     */
    public static boolean runsOurAnvil(Path stateDir, String rpcUrl, long reportedChainId) {
        if (reportedChainId != Anvil.CHAIN_ID) {
            return false;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(rpcUrl);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = uri.getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
            return false;
        }
        Path pidFile = stateDir.resolve("anvil.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(handle -> handle.info().command())
                    .map(command -> command.endsWith("anvil"))
                    .orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Asks {@code rpcUrl} for its chain id, then {@link #runsOurAnvil}: false for any node that does not answer, is
     * not on loopback, is not on chain 31337, or is not the Anvil whose pid `chain up` wrote under {@code stateDir}.
     */
    public static boolean servesOurAnvil(Path stateDir, String rpcUrl) {
        if (!Files.isRegularFile(stateDir.resolve("anvil.pid"))) {
            return false;
        }
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            return runsOurAnvil(stateDir, rpcUrl, web3j.ethChainId().send().getChainId().longValueExact());
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            web3j.shutdown();
        }
    }

    private void writePid(long pid) {
        try {
            Files.createDirectories(settings.stateDir());
            Files.writeString(settings.stateDir().resolve("anvil.pid"), pid + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write the pid file under " + settings.stateDir() + ": " + e.getMessage());
        }
    }

    private boolean hasCode(Deployment deployment) {
        Web3j web3j = Web3j.build(new HttpService(deployment.rpcUrl()));
        try {
            String code = web3j.ethGetCode(deployment.distributor().value(), DefaultBlockParameterName.LATEST).send().getCode();
            return code != null && code.length() > 2;
        } catch (IOException e) {
            return false;
        } finally {
            web3j.shutdown();
        }
    }
}
