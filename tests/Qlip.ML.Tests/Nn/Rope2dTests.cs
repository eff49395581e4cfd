using Qlip.ML.Nn;
using Qlip.ML.Tests.Support;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Nn;

public class Rope2dTests
{
    [Fact]
    public void Rotation_preserves_norms()
    {
        using var scope = NewDisposeScope();
        using var rope = new Rope2d(headDim: 32, gridSize: 8);
        var x = randn(2, 3, 64, 32, generator: new Generator(7));

        var y = rope.call(x);

        TensorAssert.Close(x.norm(-1), y.norm(-1), 1e-5, name: "‖rope(x)‖");
        Assert.True((y - x).abs().max().item<float>() > 0.1f, "rope changed nothing");
    }

    [Fact]
    public void Attention_score_depends_only_on_row_and_column_offsets()
    {
        using var scope = NewDisposeScope();
        using var rope = new Rope2d(headDim: 32, gridSize: 16);
        var q = randn(32, generator: new Generator(8));
        var k = randn(32, generator: new Generator(9));
        var qs = rope.call(q.expand(256, 32)); // q placed at every grid position
        var ks = rope.call(k.expand(256, 32));
        float Score(int r1, int c1, int r2, int c2) => qs[r1 * 16 + c1].dot(ks[r2 * 16 + c2]).item<float>();

        var reference = Score(2, 3, 5, 1);
        Assert.Equal(reference, Score(9, 10, 12, 8), 4);  // both shifted by (7, 7)
        Assert.Equal(reference, Score(2, 13, 5, 11), 4);  // column shift only
        Assert.Equal(reference, Score(10, 3, 13, 1), 4);  // row shift only
        Assert.NotEqual(reference, Score(2, 3, 5, 2), 2); // a different column offset
        Assert.NotEqual(reference, Score(2, 3, 6, 1), 2); // a different row offset
    }

    [Fact]
    public void Shifted_rotation_leaves_the_cls_token_alone()
    {
        using var scope = NewDisposeScope();
        using var rope = new Rope2d(headDim: 16, gridSize: 4);
        var x = randn(2, 17, 16, generator: new Generator(10));

        var y = rope.Rotate(x, shift: 1);

        TensorAssert.Close(x.select(1, 0), y.select(1, 0), 0, name: "CLS");
        TensorAssert.Close(rope.call(x.narrow(1, 1, 16)), y.narrow(1, 1, 16), 0, name: "patches");
    }
}
