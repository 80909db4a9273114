package io.tributary.model.lora;

import io.tributary.model.ModelException;
import io.tributary.model.llama.WeightNames;
import java.util.List;

/** LoRA hyper-parameters as PEFT names them: rank r, lora_alpha, lora_dropout, target_modules, use_rslora. */
public record LoraSettings(int rank, double alpha, double dropout, List<String> targetModules, boolean rsLora) {
    public LoraSettings {
        if (rank <= 0) {
            throw new ModelException("LoRA rank must be positive, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new ModelException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules.isEmpty()) {
            throw new ModelException("LoRA needs at least one target module");
        }
        for (String module : targetModules) {
            if (!WeightNames.isProjection(module)) {
                throw new ModelException("unknown LoRA target module '" + module + "'; expected some of "
                        + WeightNames.ATTENTION_MODULES + " " + WeightNames.MLP_MODULES);
            }
        }
        targetModules = List.copyOf(targetModules);
    }

    /** The factor applied to B A: alpha / r, or alpha / sqrt(r) with rsLoRA (Kalajdzievski, 2023). */
    public double scale(int moduleRank) {
        return rsLora ? alpha / Math.sqrt(moduleRank) : alpha / moduleRank;
    }
}
