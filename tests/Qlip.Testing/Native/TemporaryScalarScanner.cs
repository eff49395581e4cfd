using System.Reflection;
using System.Reflection.Emit;

namespace Qlip.Testing.Native;

/// <summary>
/// Finds the calls in an assembly that hand TorchSharp a temporary native Scalar. TorchSharp wraps a number in a
/// <c>TorchSharp.Scalar</c> whose only reference is dropped once its handle is read, so a GC on any thread can run
/// its finalizer (freeing it) while the native op still reads it: training crashed at random with "Expected false to
/// be true … toFloat at Scalar.h". A call is unsafe when it converts a number to a Scalar implicitly, or calls a
/// TorchSharp member taking a number that makes such a Scalar itself (e.g. <c>Tensor * double</c>, <c>pow(double)</c>).
/// </summary>
public static class TemporaryScalarScanner
{
    private const string ScalarType = "TorchSharp.Scalar";
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Dictionary<MethodBase, bool> MakesScalarCache = [];

    /// <summary>"Type::Method → callee" for every unsafe call in <paramref name="assembly"/>'s own methods.</summary>
    public static IReadOnlyList<string> Scan(Assembly assembly)
    {
        var found = new List<string>();
        foreach (var type in assembly.GetTypes())
        foreach (var method in DeclaredMethods(type))
        foreach (var callee in Callees(method))
        {
            if (IsImplicitScalar(callee) || (IsTorchSharp(callee) && MakesScalar(callee)))
                found.Add($"{type.FullName}::{method.Name} → {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
        }
        return found;
    }

    private static IEnumerable<MethodBase> DeclaredMethods(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
    }

    private static bool IsTorchSharp(MethodBase m) => m.DeclaringType?.Assembly.GetName().Name == "TorchSharp";

    private static bool IsImplicitScalar(MethodBase m) =>
        m is MethodInfo { Name: "op_Implicit" } info && info.ReturnType.FullName == ScalarType;

    private static bool TakesNumber(MethodBase m) => m.GetParameters().Any(p => p.ParameterType.IsPrimitive && p.ParameterType != typeof(bool));

    // A TorchSharp member makes a temporary Scalar if it, or a TorchSharp member it calls, converts a number to one.
    private static bool MakesScalar(MethodBase method, int depth = 0)
    {
        if (MakesScalarCache.TryGetValue(method, out var known)) return known;
        var result = false;
        foreach (var callee in Callees(method))
        {
            if (IsImplicitScalar(callee) || callee.Name == "ToScalar" ||
                (depth < 2 && IsTorchSharp(callee) && MakesScalar(callee, depth + 1)))
            {
                result = true;
                break;
            }
        }
        MakesScalarCache[method] = result;
        return result;
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj), decoded opcode by opcode.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { yield break; }
        if (il is null) yield break;
        var pos = 0;
        while (pos < il.Length)
        {
            short value = il[pos++];
            if (value == 0xFE) value = (short)(0xFE00 | il[pos++]);
            var op = OpCodesByValue[value];
            var operandStart = pos;
            pos += OperandSize(op.OperandType, il, pos);
            if (op.OperandType != OperandType.InlineMethod) continue;
            MethodBase? callee;
            try
            {
                callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, operandStart),
                    method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMethodException or BadImageFormatException)
            {
                continue;
            }
            if (callee is not null) yield return callee;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int pos) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pos),
        _ => 4,
    };
}
