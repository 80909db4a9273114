package io.tributary.model.safetensors;

/** The element types a safetensors header may name, with their size in bytes. */
public enum TensorDtype {
    F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
    I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    private final int bytes;

    TensorDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Whether the runtime can turn values of this type into float32 for compute. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    public static TensorDtype parse(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }
}
