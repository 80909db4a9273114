package io.tributary.ingestion.lake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells whether a SQL statement only reads. A statement is parsed (not run) and refused when any node of
 * its plan is a command or an insert, except the commands that only describe: INSERT, UPDATE, DELETE,
 * MERGE, VACUUM, OPTIMIZE, RESTORE, DROP, ALTER, CREATE, CACHE and SET all change the lake or the session.
 */
public final class ReadOnlyStatements {
    private static final Set<String> DESCRIBING_COMMANDS = Set.of(
            "ShowTables", "ShowViews", "ShowColumns", "ShowTableProperties", "ShowPartitions", "ShowFunctions",
            "DescribeRelation", "DescribeColumn", "DescribeFunction", "DescribeNamespace", "ExplainCommand",
            "DescribeDeltaHistory", "DescribeDeltaDetail", "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand",
            "ShowNamespaces", "ShowCatalogs", "ShowCurrentNamespace");

    /** Plan nodes named like these change data even where a parser does not mark them as commands (Delta's own). */
    private static final List<String> CHANGING_WORDS = List.of("Insert", "Update", "Delete", "Merge", "Vacuum", "Optimize",
            "Restore", "Clone", "Convert", "Reorg", "Drop", "Alter", "Create", "Truncate", "Cache");

    private ReadOnlyStatements() {}

    /** The kind of statement that would change something (its plan node's name), or empty when it only reads. */
    public static Optional<String> write(SparkSession spark, String statement) throws Exception {
        LogicalPlan plan = spark.sessionState().sqlParser().parsePlan(statement);
        Deque<LogicalPlan> pending = new ArrayDeque<>();
        pending.push(plan);
        while (!pending.isEmpty()) {
            LogicalPlan node = pending.pop();
            String name = node.getClass().getSimpleName();
            boolean changes = (node instanceof Command && !DESCRIBING_COMMANDS.contains(name))
                    || CHANGING_WORDS.stream().anyMatch(name::contains);
            if (changes) {
                return Optional.of(name);
            }
            CollectionConverters.asJava(node.children()).forEach(pending::push);
        }
        return Optional.empty();
    }
}
