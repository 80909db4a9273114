package io.tributary.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * The committed ABI, bytecode and web3j wrappers are what the sources compile to, and the Forge contract
 * tests pass, compiled offline with the pinned solc-js.
 */
class ContractArtifactsTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path CONTRACTS = MODULE.resolve("contracts");
    private static final Path RESOURCES = MODULE.resolve("src/main/resources/contracts");

    @Test
    void committed_abi_and_bytecode_match_the_solidity_sources() throws Exception {
        Result result = run(List.of("node", CONTRACTS.resolve("compile.js").toString(), RESOURCES.toString(), "--check"));
        assertThat(result.status()).as(result.output()).isZero();
    }

    @Test
    void committed_wrappers_match_web3j_codegen_over_the_abi(@TempDir Path out) throws Exception {
        for (String name : List.of("RewardToken", "RewardDistributor", "DatanetRegistry")) {
            SolidityFunctionWrapperGenerator.main(new String[] {
                "-a", RESOURCES.resolve(name + ".abi").toString(), "-b", RESOURCES.resolve(name + ".bin").toString(),
                "-o", out.toString(), "-p", "io.tributary.settlement.contracts"});
            Path generated = out.resolve("io/tributary/settlement/contracts/" + name + ".java");
            Path committed = MODULE.resolve("src/main/java/io/tributary/settlement/contracts/" + name + ".java");
            assertThat(Files.readString(committed)).as("%s is stale: run settlement/contracts/build.sh", committed)
                    .isEqualTo(Files.readString(generated));
        }
    }

    @Test
    void forge_contract_tests_pass_offline() throws Exception {
        Result result = run(List.of("bash", CONTRACTS.resolve("forge.sh").toString()));
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("0 failed").doesNotContain("FAIL");
    }

    private record Result(int status, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path tools = MODULE.resolve("../tools/node_modules").normalize();
        builder.environment().putIfAbsent("TRIBUTARY_TOOLS", tools.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
