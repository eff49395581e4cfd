using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Qlip.ML.Native;

/// <summary>
/// Process-wide libtorch kernel switches that TorchSharp 0.107 does not expose, set on <c>at::globalContext()</c>
/// through libtorch's exported C++ symbols (stable since libtorch 1.x; a missing one is an error naming it).
/// </summary>
public static class LibTorchBackends
{
    private const string Library = "libtorch_cpu.so";
    private static readonly Lock Gate = new();
    private static int referenceScopes;

    /// <summary>
    /// Until disposed, convolutions run on libtorch's own CPU kernels instead of oneDNN (mkldnn). Why: with
    /// libtorch-cpu 2.10, oneDNN's conv backward-data reads memory it did not write and multiplies it by zero, so a freed
    /// buffer that held NaN or ±∞ turns the input gradient NaN (finite garbage happens to cancel). In the stage-2 PatchGAN
    /// (whose last conv maps 3×3 to 2×2) this made the discriminator NaN at a random step: every run of 6 in a stress loop,
    /// 0 of 6 with this switch; a NaN-poisoned heap made it 50 of 50 D steps (tests/Qlip.ML.Tests/Native). Weight
    /// gradients were never affected, so runs that backpropagate only into conv weights (stage 1's patchify) keep oneDNN —
    /// which bf16 needs: with oneDNN off its matmuls fall back to kernels ~4× slower per image (bench/results.md).
    /// Scopes nest; oneDNN comes back when the last one ends.
    /// </summary>
    /// <exception cref="EntryPointNotFoundException">The loaded libtorch lacks the <c>at::Context</c> setters.</exception>
    public static IDisposable ReferenceConvolutions()
    {
        lock (Gate)
        {
            if (referenceScopes++ == 0) SetOneDnn(false);
        }
        return new Scope();
    }

    /// <summary>Whether libtorch may pick oneDNN (mkldnn) kernels right now (its user flag).</summary>
    public static bool OneDnnEnabled => UserEnabledMkldnn(Context());

    /// <summary>
    /// Turns NNPACK off for the process (idempotent; the modules that own convolutions call it once). On a CPU without
    /// NNPACK's instruction set libtorch tries it for every eligible conv, fails, logs "Could not initialize NNPACK!" and
    /// falls back to its own kernels — which this makes it pick directly, without the log line per conv.
    /// </summary>
    public static void DisableNnpack() => SetUserEnabledNnpack(Context(), false);

    /// <summary>Whether libtorch may try NNPACK kernels (its user flag).</summary>
    public static bool NnpackEnabled => UserEnabledNnpack(Context());

    private static void SetOneDnn(bool enabled) => SetUserEnabledMkldnn(Context(), enabled);

    private static IntPtr Context()
    {
        InitializeDeviceType(TorchSharp.DeviceType.CPU);  // loads libtorch before the first P/Invoke into it
        return GlobalContext();
    }

    private sealed class Scope : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            lock (Gate)
            {
                if (--referenceScopes == 0) SetOneDnn(true);
            }
        }
    }

    // at::globalContext() and at::Context members (the Itanium ABI passes `this` as the first argument).
    [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}
