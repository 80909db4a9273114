#!/usr/bin/env python3
"""Independent NumPy reference of a Hugging Face Llama forward pass (float64), for the runtime's tests.

Usage: llama_reference.py MODEL_DIR ADAPTER_DIR|- TOKENS(comma separated)
Prints a JSON list of logits rows, one per position. Reads safetensors with its own parser.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as handle:
        data = handle.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = body[begin:end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        tensors[name] = array.astype(np.float64).reshape(info["shape"])
    return tensors


def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def main():
    model_dir, adapter_dir, tokens = sys.argv[1], sys.argv[2], [int(t) for t in sys.argv[3].split(",")]
    config = json.load(open(model_dir + "/config.json"))
    w = read_safetensors(model_dir + "/model.safetensors")
    lora = {}
    if adapter_dir != "-":
        adapter_config = json.load(open(adapter_dir + "/adapter_config.json"))
        r = adapter_config["r"]
        alpha = adapter_config["lora_alpha"]
        scale = alpha / np.sqrt(r) if adapter_config.get("use_rslora") else alpha / r
        a = read_safetensors(adapter_dir + "/adapter_model.safetensors")
        prefix = "base_model.model."
        for name, value in a.items():
            if name.endswith(".lora_A.weight"):
                module = name[len(prefix):-len(".lora_A.weight")]
                lora[module] = (value, a[prefix + module + ".lora_B.weight"], scale)

    def linear(x, module):
        out = x @ w[module + ".weight"].T
        if module in lora:
            a, b, scale = lora[module]
            out = out + scale * ((x @ a.T) @ b.T)
        return out

    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    eps = config["rms_norm_eps"]
    theta = config.get("rope_theta", 10000.0)
    n = len(tokens)

    inv_freq = 1.0 / theta ** (np.arange(0, head_dim, 2) / head_dim)
    angles = np.outer(np.arange(n), inv_freq)
    emb = np.concatenate([angles, angles], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    mask = np.triu(np.full((n, n), -np.inf), k=1)

    x = w["model.embed_tokens.weight"][tokens]
    for layer in range(config["num_hidden_layers"]):
        prefix = "model.layers.%d." % layer
        h = rms_norm(x, w[prefix + "input_layernorm.weight"], eps)
        q = linear(h, prefix + "self_attn.q_proj").reshape(n, heads, head_dim).transpose(1, 0, 2)
        k = linear(h, prefix + "self_attn.k_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
        v = linear(h, prefix + "self_attn.v_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = heads // kv_heads
        k = np.repeat(k, group, axis=0)
        v = np.repeat(v, group, axis=0)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim) + mask
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, heads * head_dim)
        x = x + linear(context, prefix + "self_attn.o_proj")
        h = rms_norm(x, w[prefix + "post_attention_layernorm.weight"], eps)
        gate = linear(h, prefix + "mlp.gate_proj")
        up = linear(h, prefix + "mlp.up_proj")
        x = x + linear(gate / (1 + np.exp(-gate)) * up, prefix + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings") else w["lm_head.weight"]
    print(json.dumps((x @ head.T).tolist()))


if __name__ == "__main__":
    main()
