using static TorchSharp.torch;

namespace Qlip.ML.Checkpoints;

/// <summary>Maps safetensors dtype strings ("F32", "BF16", …) to TorchSharp scalar types and back.</summary>
public static class SafetensorsDType
{
    private static readonly (string Name, ScalarType Type)[] Table =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16),
        ("BF16", ScalarType.BFloat16), ("I64", ScalarType.Int64), ("I32", ScalarType.Int32),
        ("I16", ScalarType.Int16), ("I8", ScalarType.Int8), ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    /// <summary>The scalar type for a safetensors dtype string, or null when it is not supported.</summary>
    public static ScalarType? Parse(string name)
    {
        foreach (var (n, t) in Table)
        {
            if (n == name) return t;
        }
        return null;
    }

    /// <summary>The safetensors dtype string for a scalar type.</summary>
    /// <exception cref="NotSupportedException">The type has no safetensors name here (e.g. complex).</exception>
    public static string NameOf(ScalarType type)
    {
        foreach (var (n, t) in Table)
        {
            if (t == type) return n;
        }
        throw new NotSupportedException($"safetensors: dtype {type} is not supported");
    }

    /// <summary>Bytes per element of a scalar type.</summary>
    public static int SizeOf(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"safetensors: dtype {type} is not supported"),
    };
}
