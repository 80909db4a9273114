package io.tributary.ingestion.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.UserError;
import io.tributary.ingestion.lake.ReadOnlyStatements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tributary sql "SELECT ..." ["SELECT ..." ...]}: Spark SQL with every lake table registered by its name; several
 * queries share one Spark session (one start, which dominates a small query's time).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL over the lake. Every Delta table under the lake root is registered by its",
                "directory name (datanets, contributions, quarantine, batches, corpus, ...).",
                "Several queries run in order in one Spark session; a query's leading `-- ` comment lines are",
                "printed as its heading. With --json, one query prints {columns, rows, count, truncated};",
                "several print {\"results\": [...]} with one such object per query.",
                "Read-only unless --maintenance is given."})
public final class SqlCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Parameters(arity = "0..*", paramLabel = "QUERY")
    List<String> queries = new ArrayList<>();

    // A query that starts with its heading ("-- ...") resembles an option to the parser; it arrives here.
    @Unmatched
    List<String> optionLike = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Option(names = "--maintenance", description = {"Allow statements that change the lake (DELETE, UPDATE, MERGE,",
            "VACUUM, OPTIMIZE, DROP, ...). Delta's retention check stays on: VACUUM cannot erase pinned versions."})
    boolean maintenance;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "Most rows printed (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        List<String> statements = queriesInOrder();
        List<Map<String, Object>> results = LakeSession.with(global, lake -> {
            List<String> tables = lake.registerViews();
            List<Map<String, Object>> out = new ArrayList<>();
            for (String query : statements) {
                out.add(run(lake.spark(), query, tables));
            }
            return out;
        });
        if (results.size() == 1) {
            CommandOutput.of(global).print(results.get(0), () -> heading(statements.get(0)) + table(results.get(0)));
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("results", results);
            CommandOutput.of(global).print(json, () -> {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < results.size(); i++) {
                    parts.add(heading(statements.get(i)) + table(results.get(i)));
                }
                return String.join("\n", parts);
            });
        }
        return 0;
    }

    private Map<String, Object> run(SparkSession spark, String query, List<String> tables) {
        Dataset<Row> result;
        try {
            if (!maintenance) {
                ReadOnlyStatements.write(spark, query).ifPresent(kind -> {
                    throw new UserError("`tributary sql` is read-only: this statement (" + kind
                            + ") would change the lake; rerun with --maintenance if that is meant");
                });
            }
            result = spark.sql(query);
        } catch (UserError e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof IllegalArgumentException) {
                // Delta's refusals (a VACUUM under the retention period, ...) are the user's to fix.
                throw new UserError("refused: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
            if (e instanceof AnalysisException || e.getClass().getName().contains("ParseException")) {
                throw new UserError("bad query: " + e.getMessage().lines().findFirst().orElse("") + " (tables: "
                        + String.join(", ", tables) + ")", e);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        List<String> rows = result.limit(limit + 1).toJSON().collectAsList();
        List<Object> parsed = new ArrayList<>();
        for (String row : rows.subList(0, Math.min(rows.size(), limit))) {
            try {
                parsed.add(Json.MAPPER.readValue(row, LinkedHashMap.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Spark produced unreadable JSON: " + row, e);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", Arrays.asList(result.columns()));
        out.put("rows", parsed);
        out.put("count", parsed.size());
        out.put("truncated", rows.size() > limit);
        return out;
    }

    /** The queries as given, those starting with a comment included; an unknown option is refused. */
    private List<String> queriesInOrder() {
        for (String arg : optionLike) {
            if (!arg.startsWith("--") || arg.length() > 2 && !Character.isWhitespace(arg.charAt(2))) {
                throw new UserError("unknown option '" + arg + "' (a query may start with a comment: \"-- heading\\nSELECT ...\")");
            }
        }
        if (queries.isEmpty() && optionLike.isEmpty()) {
            throw new UserError("give at least one QUERY");
        }
        if (optionLike.isEmpty()) {
            return queries;
        }
        List<String> ordered = new ArrayList<>();
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (queries.contains(arg) || optionLike.contains(arg)) {
                ordered.add(arg);
            }
        }
        return ordered;
    }

    /** The query's leading {@code -- } comment lines, printed above its table (empty when it has none). */
    static String heading(String query) {
        StringBuilder heading = new StringBuilder();
        for (String line : query.strip().lines().toList()) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                break;
            }
            heading.append(trimmed).append('\n');
        }
        return heading.toString();
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> json) {
        List<String> columns = (List<String>) json.get("columns");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        int[] widths = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(columns.get(i));
                String text = value == null ? "NULL" : value.toString().replace('\n', ' ');
                line[i] = text.length() > 60 ? text.substring(0, 57) + "..." : text;
            }
            cells.add(line);
        }
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (String[] line : cells) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        appendLine(text, columns.toArray(String[]::new), widths);
        for (String[] line : cells) {
            appendLine(text, line, widths);
        }
        text.append("(").append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
                .append(Boolean.TRUE.equals(json.get("truncated")) ? ", truncated)" : ")");
        return text.toString();
    }

    private static void appendLine(StringBuilder text, String[] values, int[] widths) {
        for (int i = 0; i < values.length; i++) {
            text.append(String.format("%-" + widths[i] + "s", values[i]));
            text.append(i + 1 < values.length ? "  " : "\n");
        }
    }
}
