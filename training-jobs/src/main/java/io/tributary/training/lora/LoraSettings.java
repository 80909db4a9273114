package io.tributary.training.lora;

import io.tributary.core.cli.UserError;
import io.tributary.training.model.WeightNames;
import java.util.List;

/** LoRA hyper-parameters as PEFT names them: rank r, lora_alpha, lora_dropout, target_modules, use_rslora. */
public record LoraSettings(int rank, double alpha, double dropout, List<String> targetModules, boolean rsLora) {
    public LoraSettings {
        if (rank <= 0) {
            throw new UserError("LoRA rank must be positive, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new UserError("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules.isEmpty()) {
            throw new UserError("LoRA needs at least one target module");
        }
        for (String module : targetModules) {
            if (!WeightNames.isProjection(module)) {
                throw new UserError("unknown LoRA target module '" + module + "'; expected some of "
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
