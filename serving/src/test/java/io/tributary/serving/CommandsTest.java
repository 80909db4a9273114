package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.CommandLauncher;
import io.tributary.core.cli.Json;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.serving.keys.ApiKeyStore;
import io.tributary.serving.price.Price;
import io.tributary.serving.price.PriceBook;
import io.tributary.serving.price.QuotedPrice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys} and {@code adapters price} as a user runs them, against a keystore file and a lake on disk. */
class CommandsTest {
    @TempDir
    Path root;

    private record Run(int status, String out) {}

    private Run run(Path conf, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--conf";
            all[args.length + 1] = conf.toString();
            return new Run(CommandLauncher.execute(new ServingMain(), all), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private Path conf() throws Exception {
        Path conf = root.resolve("test.conf");
        Files.writeString(conf, """
                tributary.lake.root = "%s"
                tributary.serving.keystore = "%s"
                """.formatted(root.resolve("lake"), root.resolve("secrets/api-keys.json")));
        return conf;
    }

    @Test
    void keysArePrintedOnceAndStoredOnlyAsHashesInAPrivateFile() throws Exception {
        Path conf = conf();
        Run created = run(conf, "keys", "create", "--account", "0x00000000000000000000000000000000000000a1", "--name", "alice", "--json");
        assertThat(created.status()).isZero();
        JsonNode json = Json.MAPPER.readTree(created.out());
        String key = json.path("key").asText();
        assertThat(key).startsWith(ApiKeyStore.KEY_PREFIX).hasSizeGreaterThan(40);
        Path keystore = root.resolve("secrets/api-keys.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        String stored = Files.readString(keystore);
        assertThat(stored).doesNotContain(key).contains(ApiKeyStore.sha256(key)).contains("0x00000000000000000000000000000000000000a1");
        assertThat(new ApiKeyStore(keystore).authenticate(key)).isPresent();
        Run listed = run(conf, "keys", "list", "--json");
        assertThat(listed.out()).contains(json.path("key_id").asText()).doesNotContain(key);
        assertThat(run(conf, "keys", "revoke", "--key-id", json.path("key_id").asText()).status()).isZero();
        assertThat(new ApiKeyStore(keystore).authenticate(key)).isEmpty();
        assertThat(run(conf, "keys", "create", "--account", "not-an-address").status()).isEqualTo(2);
    }

    @Test
    void pricesAreVersionedEffectiveFromATimeAndIdempotent() throws Exception {
        Path conf = conf();
        ServingFixture world = new ServingFixture(root.resolve("world"));
        // The fixture's lake is the one the command reads.
        Files.writeString(conf, "tributary.lake.root = \"" + world.lakeRoot + "\"\n", java.nio.file.StandardOpenOption.APPEND);
        var adapter = world.addAdapters(1, "legal").get(0);
        Run first = run(conf, "adapters", "price", "--adapter", adapter.name(), "--prompt-wei-per-1k", "1000000000000000000000",
                "--completion-wei-per-1k", "7", "--effective-from", "2026-01-01T00:00:00Z", "--json");
        assertThat(first.status()).as(first.out()).isZero();
        String version = Json.MAPPER.readTree(first.out()).path("price_version").asText();
        assertThat(run(conf, "adapters", "price", "--adapter", adapter.adapterId(), "--prompt-wei-per-1k", "1000000000000000000000",
                "--completion-wei-per-1k", "7", "--effective-from", "2026-01-01T00:00:00Z", "--json").out()).contains(version);
        assertThat(run(conf, "adapters", "price", "--adapter", adapter.adapterId(), "--prompt-wei-per-1k", "-5",
                "--completion-wei-per-1k", "7").status()).isEqualTo(2);
        assertThat(run(conf, "adapters", "price", "--adapter", "nobody", "--prompt-wei-per-1k", "5",
                "--completion-wei-per-1k", "7").status()).isEqualTo(2);
        Engine engine = KernelTable.engine(Map.of());
        PriceBook book = new PriceBook(engine, world.lakeRoot, new Price(BigInteger.ONE, BigInteger.TWO));
        book.set(adapter.adapterId(), new Price(BigInteger.TEN, BigInteger.TEN), Instant.parse("2030-01-01T00:00:00Z"));
        book.refresh();
        assertThat(KernelTable.reading(engine, world.lakeRoot, io.tributary.core.lake.LakeTable.ADAPTER_PRICES).readAll()).hasSize(2);
        QuotedPrice now = book.at(adapter.adapterId(), Instant.parse("2027-06-01T00:00:00Z"));
        assertThat(now.version()).isEqualTo(version);
        assertThat(now.price().fee(3, 2)).isEqualTo(new BigInteger("3000000000000000001")); // ceil((3e21 + 14) / 1000)
        assertThat(book.at(adapter.adapterId(), Instant.parse("2031-01-01T00:00:00Z")).price().promptWeiPer1k()).isEqualTo(BigInteger.TEN);
        assertThat(book.at("", Instant.now()).version()).isEqualTo(PriceBook.defaultVersion(new Price(BigInteger.ONE, BigInteger.TWO)));
    }

    @Test
    void feesRoundUpInIntegers() {
        Price price = new Price(BigInteger.valueOf(999), BigInteger.valueOf(1001));
        assertThat(price.fee(1, 0)).isEqualTo(BigInteger.ONE);
        assertThat(price.fee(0, 0)).isEqualTo(BigInteger.ZERO);
        assertThat(price.fee(1000, 1000)).isEqualTo(BigInteger.valueOf(2000));
        assertThat(price.fee(3, 1)).isEqualTo(BigInteger.valueOf(4)); // (2997 + 1001) / 1000 = 3.998 -> 4
    }
}
