package io.tributary.training.command;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.tributary.core.config.TributaryConfig;

/** Applies {@code tributary.training.threads} to the PyTorch engine before a command computes anything. */
final class EngineThreads {
    private EngineThreads() {}

    static void apply(TributaryConfig config) {
        int threads = config.integer("tributary.training.threads");
        Engine.getInstance();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }
}
