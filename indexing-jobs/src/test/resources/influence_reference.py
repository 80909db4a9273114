#!/usr/bin/env python3
"""Independent reference for the influence job's per-example gradients (float64 NumPy, finite differences).

Usage: influence_reference.py MODEL_DIR ADAPTER_DIR REQUEST_JSON
REQUEST_JSON: {"examples": [{"id": ..., "windows": [[token, ...], ...], "reduction": "sum"|"mean"}, ...]}
Prints {"id": {"loss": L, "gradients": {module: [dL/dA row-major..., dL/dB row-major...]}}} where the loss of an
example is the next-token cross-entropy summed over its windows (divided by its predicted tokens for "mean"),
and every derivative is a central difference of that loss in float64 (step 1e-5).
"""
import json
import sys

import numpy as np

# The model runtime's own NumPy reference (model-runtime/src/test/resources), copied beside this file by the test.
from llama_reference import read_safetensors, rms_norm, rotate_half

PREFIX = "base_model.model."


class Model:
    def __init__(self, model_dir, adapter_dir):
        self.config = json.load(open(model_dir + "/config.json"))
        self.w = read_safetensors(model_dir + "/model.safetensors")
        adapter_config = json.load(open(adapter_dir + "/adapter_config.json"))
        r = adapter_config["r"]
        alpha = adapter_config["lora_alpha"]
        self.scale = alpha / np.sqrt(r) if adapter_config.get("use_rslora") else alpha / r
        tensors = read_safetensors(adapter_dir + "/adapter_model.safetensors")
        self.lora = {}
        for name, value in tensors.items():
            if name.endswith(".lora_A.weight"):
                module = name[len(PREFIX):-len(".lora_A.weight")]
                self.lora[module] = [value.copy(), tensors[PREFIX + module + ".lora_B.weight"].copy()]

    def linear(self, x, module):
        out = x @ self.w[module + ".weight"].T
        if module in self.lora:
            a, b = self.lora[module]
            out = out + self.scale * ((x @ a.T) @ b.T)
        return out

    def summed_loss(self, tokens):
        config, w = self.config, self.w
        hidden = config["hidden_size"]
        heads = config["num_attention_heads"]
        kv_heads = config.get("num_key_value_heads", heads)
        head_dim = config.get("head_dim") or hidden // heads
        eps = config["rms_norm_eps"]
        theta = config.get("rope_theta", 10000.0)
        inputs, targets = tokens[:-1], tokens[1:]
        n = len(inputs)
        inv_freq = 1.0 / theta ** (np.arange(0, head_dim, 2) / head_dim)
        angles = np.outer(np.arange(n), inv_freq)
        emb = np.concatenate([angles, angles], axis=-1)
        cos, sin = np.cos(emb), np.sin(emb)
        mask = np.triu(np.full((n, n), -np.inf), k=1)
        x = w["model.embed_tokens.weight"][inputs]
        for layer in range(config["num_hidden_layers"]):
            prefix = "model.layers.%d." % layer
            h = rms_norm(x, w[prefix + "input_layernorm.weight"], eps)
            q = self.linear(h, prefix + "self_attn.q_proj").reshape(n, heads, head_dim).transpose(1, 0, 2)
            k = self.linear(h, prefix + "self_attn.k_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
            v = self.linear(h, prefix + "self_attn.v_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            group = heads // kv_heads
            k = np.repeat(k, group, axis=0)
            v = np.repeat(v, group, axis=0)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim) + mask
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs = scores / scores.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(1, 0, 2).reshape(n, heads * head_dim)
            x = x + self.linear(context, prefix + "self_attn.o_proj")
            h = rms_norm(x, w[prefix + "post_attention_layernorm.weight"], eps)
            gate = self.linear(h, prefix + "mlp.gate_proj")
            up = self.linear(h, prefix + "mlp.up_proj")
            x = x + self.linear(gate / (1 + np.exp(-gate)) * up, prefix + "mlp.down_proj")
        x = rms_norm(x, w["model.norm.weight"], eps)
        head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings") else w["lm_head.weight"]
        logits = x @ head.T
        logits = logits - logits.max(axis=-1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        return -log_probs[np.arange(n), targets].sum()

    def loss(self, example):
        total = sum(self.summed_loss(window) for window in example["windows"])
        if example["reduction"] == "mean":
            total /= sum(len(window) - 1 for window in example["windows"])
        return total


def main():
    model = Model(sys.argv[1], sys.argv[2])
    request = json.load(open(sys.argv[3]))
    step = 1e-5
    out = {}
    for example in request["examples"]:
        gradients = {}
        for module in sorted(model.lora):
            values = []
            for matrix in model.lora[module]:
                flat = matrix.reshape(-1)
                for i in range(flat.size):
                    original = flat[i]
                    flat[i] = original + step
                    plus = model.loss(example)
                    flat[i] = original - step
                    minus = model.loss(example)
                    flat[i] = original
                    values.append((plus - minus) / (2 * step))
            gradients[module] = values
        out[example["id"]] = {"loss": model.loss(example), "gradients": gradients}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
