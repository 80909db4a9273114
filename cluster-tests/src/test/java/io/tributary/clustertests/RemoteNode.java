package io.tributary.clustertests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Anvil node standing in for a remote EVM chain (its own chain id, started by the test, never by {@code chain up}),
 * and Foundry's {@code cast} as the independent client the test checks it with: a keystore for a fresh key, a
 * faucet transfer from Anvil's first dev account, contract reads and Merkle leaves. Both binaries come from
 * {@code tools/node_modules}, where settlement's tests find Anvil.
 */
final class RemoteNode implements AutoCloseable {
    /** Anvil's first dev account, unlocked on Anvil: the test's faucet, never the operator. */
    static final String FAUCET = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private final Path cast;
    private final Path work;
    private final Process anvil;
    private final String rpcUrl;
    private int calls;

    /** A fresh key in a web3 keystore file (the password is the caller's). */
    record Keystore(String address, Path file) {}

    private RemoteNode(Path cast, Path work, Process anvil, String rpcUrl) {
        this.cast = cast;
        this.work = work;
        this.anvil = anvil;
        this.rpcUrl = rpcUrl;
    }

    /** Starts Anvil on a free loopback port with {@code chainId} and waits until it reports that id. */
    static RemoteNode start(Path tools, Path work, long chainId) throws IOException {
        Files.createDirectories(work);
        Path anvil = tools.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
        Path cast = tools.resolve("@foundry-rs/cast-linux-amd64/bin/cast");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(anvil.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId)).redirectErrorStream(true)
                .redirectOutput(work.resolve("anvil.log").toFile()).start();
        RemoteNode node = new RemoteNode(cast, work, process, "http://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> node.cast("chain-id", "--rpc-url", node.rpcUrl).equals(Long.toString(chainId)));
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    String rpcUrl() {
        return rpcUrl;
    }

    /** {@code cast wallet new}: a new random key, encrypted with {@code password} into a keystore under {@code directory}. */
    Keystore newKeystore(Path directory, String password) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        String json = cast("wallet", "new", directory.toString(), "operator", "--unsafe-password", password, "--json");
        com.fasterxml.jackson.databind.JsonNode wallet = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0);
        return new Keystore(wallet.get("address").asText().toLowerCase(java.util.Locale.ROOT),
                Path.of(wallet.get("path").asText()));
    }

    /** Sends {@code ether} from the faucet account to {@code account} (gas money for the operator). */
    void fund(String account, String ether) throws IOException, InterruptedException {
        cast("send", "--rpc-url", rpcUrl, "--unlocked", "--from", FAUCET, account, "--value", ether + "ether");
    }

    /** An {@code eth_call} decoded by cast, e.g. {@code call(token, "balanceOf(address)(uint256)", account)}. */
    String call(String contract, String signature, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("call", "--rpc-url", rpcUrl, contract, signature));
        command.addAll(List.of(arguments));
        // cast appends a readable form to large integers ("1000000000000000000 [1e18]"); keep the exact value.
        return cast(command.toArray(String[]::new)).split("\\s+\\[")[0];
    }

    /** The RewardDistributor's leaf, computed by cast: keccak256(abi.encodePacked(index, account, amount)). */
    String payoutLeaf(long index, String account, String amount) throws IOException, InterruptedException {
        return cast("keccak", cast("abi-encode", "--packed", "f(uint256,address,uint256)", Long.toString(index), account, amount));
    }

    /** Runs cast; returns its trimmed standard output, or fails with its error output. */
    String cast(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cast.toString());
        command.addAll(List.of(arguments));
        Path err = work.resolve("cast-" + (++calls) + ".err");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("cast " + arguments[0] + " failed: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        anvil.destroy();
        try {
            if (!anvil.waitFor(20, TimeUnit.SECONDS)) {
                anvil.destroyForcibly();
            }
        } catch (InterruptedException e) {
            anvil.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
