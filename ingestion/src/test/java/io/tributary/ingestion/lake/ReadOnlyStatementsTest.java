package io.tributary.ingestion.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** What `tributary sql` lets through without --maintenance: statements whose plan only reads. */
class ReadOnlyStatementsTest {
    private final SparkSession spark = TestLakes.spark();

    @Test
    void statementsThatChangeTheLakeOrSessionAreNamed() throws Exception {
        for (String statement : List.of("DELETE FROM contributions WHERE true", "UPDATE batches SET read = 0",
                "MERGE INTO corpus c USING corpus n ON c.contribution_id = n.contribution_id WHEN MATCHED THEN DELETE",
                "INSERT INTO datanets SELECT * FROM datanets", "DROP TABLE contributions", "VACUUM contributions",
                "OPTIMIZE contributions", "ALTER TABLE batches ADD COLUMNS (x INT)", "CREATE TABLE t (x INT) USING delta",
                "WITH x AS (SELECT * FROM batches) INSERT INTO batches SELECT * FROM x", "CACHE TABLE batches",
                "RESTORE TABLE contributions TO VERSION AS OF 0", "SET spark.sql.shuffle.partitions = 1")) {
            assertThat(ReadOnlyStatements.write(spark, statement)).as(statement).isPresent();
        }
    }

    @Test
    void queriesAndDescriptionsPass() throws Exception {
        for (String statement : List.of("SELECT count(*) FROM contributions",
                "WITH x AS (SELECT * FROM batches) SELECT * FROM x", "SHOW TABLES", "DESCRIBE contributions",
                "EXPLAIN SELECT * FROM batches", "SELECT * FROM contributions c JOIN batches b USING (batch_id)")) {
            assertThat(ReadOnlyStatements.write(spark, statement)).as(statement).isEmpty();
        }
    }
}
