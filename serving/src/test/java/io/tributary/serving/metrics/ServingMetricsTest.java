package io.tributary.serving.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServingMetricsTest {
    @Test
    void stepsAndStepTokensAreTheBatchTokensHistogramsCountAndSum() {
        ServingMetrics metrics = new ServingMetrics();
        assertThat(metrics.steps()).isZero();
        assertThat(metrics.stepTokens()).isZero();
        metrics.step(3, 130);
        metrics.step(32, 32);
        metrics.step(1, 1);
        assertThat(metrics.steps()).isEqualTo(3);
        assertThat(metrics.stepTokens()).isEqualTo(163);
    }
}
