package io.tributary.ingestion.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.CommandLauncher;
import io.tributary.core.cli.Json;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.ingestion.IngestionMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: arguments in, one JSON document or one error line out, exit codes. */
class IngestionCommandsTest {
    @TempDir
    Path directory;

    Path conf;

    record Result(int status, String out, String err) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    @BeforeEach
    void profile() throws Exception {
        conf = Files.writeString(directory.resolve("test.conf"), """
                tributary.spark.master = "local[2]"
                tributary.spark.shuffle-partitions = 2
                tributary.spark.conf { "spark.ui.enabled" = false }
                """);
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", conf.toString(), "--lake", directory.resolve("lake").toString()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int status = CommandLauncher.execute(new IngestionMain(), all.toArray(String[]::new));
            return new Result(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void createIngestShowAndQueryADatanet() throws Exception {
        KeyPair alice = KeyPair.fromSeed("alice");
        KeyPair bob = KeyPair.fromSeed("bob");
        DatanetId security = DatanetId.of("security");
        StringBuilder lines = new StringBuilder();
        for (KeyPair key : List.of(alice, bob, alice)) {
            String text = "Advisory written by " + key.address() + " #" + lines.length();
            lines.append("{\"contributor\":\"").append(key.address()).append("\",\"text\":\"").append(text)
                    .append("\",\"license\":\"CC-BY-4.0\",\"signature\":\"")
                    .append(ContributionSignature.sign(key, security, ContributionId.ofText(text), "CC-BY-4.0")).append("\"}\n");
        }
        lines.append("not json at all\n");
        Path input = Files.writeString(directory.resolve("security.jsonl"), lines.toString());

        Result created = run("datanet", "create", "--id", "security", "--name", "Security advisories", "--topic", "security",
                "--owner", "0x00000000000000000000000000000000000000AB", "--json");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.json().get("owner").asText()).isEqualTo("0x00000000000000000000000000000000000000ab");

        Result again = run("datanet", "create", "--id", "security", "--name", "x", "--topic", "y",
                "--owner", "0x00000000000000000000000000000000000000ab");
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("already exists").doesNotContain("\tat ");

        Result ingested = run("ingest", "--datanet", "security", "--input", input.toString(), "--json");
        assertThat(ingested.status()).as(ingested.err()).isZero();
        JsonNode summary = ingested.json();
        assertThat(summary.get("read").asLong()).isEqualTo(4);
        assertThat(summary.get("accepted").asLong()).isEqualTo(3);
        assertThat(summary.get("quarantined").asLong()).isEqualTo(1);
        assertThat(summary.get("reasons").get("malformed_json").asLong()).isEqualTo(1);

        JsonNode shown = run("datanet", "show", "--datanet", "security", "--json").json();
        assertThat(shown.get("datanet").asText()).isEqualTo("security");
        assertThat(shown.get("contributions").asLong()).isEqualTo(3);
        assertThat(shown.get("contributors").asLong()).isEqualTo(2);
        assertThat(shown.get("version").asLong()).isEqualTo(summary.get("version").asLong());

        JsonNode query = run("sql", "SELECT contributor, count(*) AS n FROM contributions GROUP BY contributor ORDER BY n DESC",
                "--json").json();
        assertThat(query.get("rows").get(0).get("contributor").asText()).isEqualTo(alice.address().value());
        assertThat(query.get("rows").get(0).get("n").asLong()).isEqualTo(2);

        // Several queries share one Spark session: one result per query, in order; leading comments are headings.
        JsonNode both = run("sql", "SELECT count(*) AS n FROM contributions",
                "-- per contributor\nSELECT contributor, count(*) AS n FROM contributions GROUP BY contributor ORDER BY n DESC",
                "--json").json();
        assertThat(both.get("results")).hasSize(2);
        assertThat(both.get("results").get(0).get("rows").get(0).get("n").asLong()).isEqualTo(3);
        assertThat(both.get("results").get(1).get("rows").get(0).get("n").asLong()).isEqualTo(2);
        Result printed = run("sql", "-- all contributions\nSELECT count(*) AS n FROM contributions",
                "SELECT count(DISTINCT contributor) AS contributors FROM contributions");
        assertThat(printed.out()).contains("-- all contributions\nn\n3\n(1 row)\n")
                .containsPattern("\\(1 row\\)\\ncontributors\\n2 *\\n\\(1 row\\)");
        Result typo = run("sql", "SELECT 1", "--jsn");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown option '--jsn'");
        Result secondWrites = run("sql", "SELECT 1", "DELETE FROM contributions WHERE contributor = '" + alice.address() + "'");
        assertThat(secondWrites.status()).as(secondWrites.out()).isEqualTo(2);
        assertThat(secondWrites.err()).contains("read-only");

        Result delete = run("sql", "DELETE FROM contributions WHERE contributor = '" + alice.address() + "'");
        assertThat(delete.status()).as(delete.out()).isEqualTo(2);
        assertThat(delete.err()).contains("read-only").contains("--maintenance").doesNotContain("\tat ");
        // Maintenance may write, but Delta's retention check keeps the versions that corpus, indexes and adapters pin.
        Result vacuum = run("sql", "--maintenance", "VACUUM delta.`" + directory.resolve("lake/contributions").toUri()
                + "` RETAIN 0 HOURS");
        assertThat(vacuum.status()).as(vacuum.err()).isEqualTo(2);
        assertThat(vacuum.err()).contains("retention");
        assertThat(run("sql", "SELECT count(*) AS n FROM contributions", "--json").json()
                .get("rows").get(0).get("n").asLong()).isEqualTo(3);

        JsonNode listed = run("datanet", "list", "--json").json();
        assertThat(listed.get("datanets")).hasSize(1);
    }

    @Test
    void userMistakesAreOneLineErrorsWithStatusTwo() throws Exception {
        Result badId = run("datanet", "create", "--id", "../etc", "--name", "x", "--topic", "y",
                "--owner", "0x00000000000000000000000000000000000000ab");
        assertThat(badId.status()).isEqualTo(2);
        assertThat(badId.err()).contains("invalid Datanet id '../etc'");

        Files.writeString(conf, "tributary.ingest.max-text-bytez = 10\n");
        Result badKey = run("datanet", "list");
        assertThat(badKey.status()).isEqualTo(2);
        assertThat(badKey.err()).contains("tributary.ingest.max-text-bytez").contains("unknown key");

        Files.writeString(conf, "tributary.spark.master = \"local[1]\"\n");
        Result badQuery = run("sql", "SELECT nope FROM nowhere");
        assertThat(badQuery.status()).isEqualTo(2);
        assertThat(badQuery.err()).contains("bad query");
    }
}
