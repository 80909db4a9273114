package io.tributary.training.command;

import ai.djl.ndarray.NDManager;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.llama.LlamaModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR [--adapter DIR]}: the model a command runs, optionally with a LoRA adapter applied. */
public final class ModelSelection {
    @Option(names = "--model", required = true, description = "Model directory (Hugging Face layout).")
    Path model;
    @Option(names = "--adapter", description = "PEFT LoRA adapter directory to apply.")
    Path adapter;

    LlamaModel load(NDManager manager) {
        return LlamaModel.load(model, manager);
    }

    /** The adapter for {@code llama}, or null without --adapter; the caller closes it. */
    LoraAdapter loadAdapter(LlamaModel llama, NDManager manager) {
        return adapter == null ? null : LoraAdapter.load(adapter, llama.config(), manager);
    }
}
