// Unicode normalization and full lower-casing through the system ICU (libicuuc). The solution runs with
// InvariantGlobalization, where string.Normalize is a no-op and ToLowerInvariant uses simple case mapping only;
// CLIP's reference text path needs ftfy's NFC and Python's str.lower (SpecialCasing: İ → i̇, final sigma).
using System.Runtime.InteropServices;

namespace Qlip.ML.Text;

/// <summary>NFC/NFKC and root-locale lower-casing via the system ICU, or .NET fallbacks when ICU is absent.</summary>
internal static unsafe class IcuUnicode
{
    private static readonly Api? s_api = TryLoad();

    /// <summary>Which ICU library was bound (e.g. "libicuuc.so.72"), or null when the .NET fallbacks are used.</summary>
    public static string? Library => s_api?.Library;

    /// <summary>Canonical composition (NFC); unchanged text when ICU is absent.</summary>
    public static string NormalizeNfc(string s) => s_api is { } api && !IsAscii(s) ? api.Normalize(api.Nfc, s) : s;

    /// <summary>Compatibility composition (NFKC); unchanged text when ICU is absent.</summary>
    public static string NormalizeNfkc(string s) => s_api is { } api && !IsAscii(s) ? api.Normalize(api.Nfkc, s) : s;

    /// <summary>Full lower-casing like Python's <c>str.lower</c> (ICU root locale); .NET invariant mapping as fallback.</summary>
    public static string ToLower(string s)
    {
        if (IsAscii(s)) return s.ToLowerInvariant();
        return s_api is { } api ? api.ToLower(s) : s.ToLowerInvariant();
    }

    private static bool IsAscii(string s) => System.Text.Ascii.IsValid(s);

    private static Api? TryLoad()
    {
        foreach (var (name, suffix) in Candidates())
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize)
                && NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out var nfc)
                && NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out var nfkc)
                && NativeLibrary.TryGetExport(handle, "u_strToLower" + suffix, out var lower))
            {
                var api = new Api(name, normalize, lower);
                api.Nfc = api.Instance(nfc);
                api.Nfkc = api.Instance(nfkc);
                if (api.Nfc != 0 && api.Nfkc != 0) return api;
            }
            NativeLibrary.Free(handle);
        }
        return null;
    }

    // ICU exports versioned symbols (unorm2_normalize_72); probe the versions a distribution may ship.
    private static IEnumerable<(string Name, string Suffix)> Candidates()
    {
        for (var v = 80; v >= 50; v--)
            yield return ($"libicuuc.so.{v}", $"_{v}");
        for (var v = 80; v >= 50; v--)
            yield return ("libicuuc.so", $"_{v}");
        yield return ("libicuuc.so", "");
    }

    private sealed class Api(string library, nint normalize, nint toLower)
    {
        public string Library { get; } = library;
        public nint Nfc { get; set; }
        public nint Nfkc { get; set; }

        public nint Instance(nint getter)
        {
            var status = 0;
            var instance = ((delegate* unmanaged<int*, nint>)getter)(&status);
            return status > 0 ? 0 : instance;
        }

        public string Normalize(nint normalizer, string s) =>
            Run(s, (src, len, dest, cap, status) =>
                ((delegate* unmanaged<nint, char*, int, char*, int, int*, int>)normalize)(normalizer, src, len, dest, cap, status));

        public string ToLower(string s) =>
            Run(s, (src, len, dest, cap, status) =>
            {
                byte root = 0; // "" = root locale
                return ((delegate* unmanaged<char*, int, char*, int, byte*, int*, int>)toLower)(dest, cap, src, len, &root, status);
            });

        private delegate int Call(char* src, int length, char* dest, int capacity, int* status);

        // ICU returns the needed length with U_BUFFER_OVERFLOW_ERROR (15) when the buffer is too small.
        private static string Run(string s, Call call)
        {
            var capacity = s.Length * 2 + 16;
            while (true)
            {
                var buffer = new char[capacity];
                var status = 0;
                int length;
                fixed (char* src = s)
                fixed (char* dest = buffer)
                    length = call(src, s.Length, dest, capacity, &status);
                if (status == 15) { capacity = length + 1; continue; }
                if (status > 0) throw new InvalidOperationException($"ICU failed with error code {status} on a {s.Length}-character string.");
                return new string(buffer, 0, length);
            }
        }
    }
}
