using Qlip.ML.Models;
using Qlip.Testing.Native;

namespace Qlip.ML.Tests.Native;

/// <summary>
/// Guards against TorchSharp's temporary-Scalar use-after-free (see <see cref="TemporaryScalarScanner"/>): every number
/// Qlip.ML hands a tensor op lives in a Scalar the caller keeps alive until the op returns.
/// </summary>
public class ScalarLifetimeTests
{
    [Fact]
    public void Qlip_ML_never_hands_TorchSharp_a_temporary_scalar()
    {
        var unsafeCalls = TemporaryScalarScanner.Scan(typeof(QlipModel).Assembly);
        Assert.True(unsafeCalls.Count == 0,
            "Numbers passed to tensor ops as temporary Scalars (use Qlip.ML.Nn.ScalarOperands or a `using` Scalar):\n" +
            string.Join("\n", unsafeCalls));
    }
}
