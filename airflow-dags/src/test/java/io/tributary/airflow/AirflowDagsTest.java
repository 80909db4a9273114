package io.tributary.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python tests of the DAG files (airflow-dags/tests) with the system's python3: the DAGs against the
 * pipeline plan, the launcher's commands, and the local runner over a small lake. Airflow itself cannot be
 * installed here; see tests/recording_airflow.py for what stands in for it.
 */
class AirflowDagsTest {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path HOME = MODULE.getParent();

    @Test
    void dagFilesFollowThePlanAndTheLocalRunnerRunsIt() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("python3", "-m", "unittest", "discover", "-v", "-s",
                MODULE.resolve("tests").toString())).redirectErrorStream(true);
        // The reactor has just built and packaged every module these tests run commands of.
        builder.environment().put("TRIBUTARY_SKIP_BUILD", "1");
        builder.environment().put("TRIBUTARY_HOME", HOME.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").doesNotContain("skipped");
    }
}
