using Qlip.Data.Sets;
using Qlip.ML.Text;

namespace Qlip.ML.Tests.Text;

public sealed class ZeroShotPromptsTests(ClipVocabularyFixture fixture) : IClassFixture<ClipVocabularyFixture>
{
    private static readonly IReadOnlyList<string> s_fashion = MnistDataset.FashionClassNames;

    [Fact]
    public void Prompts_are_class_major_and_tokenize_to_C_T_L()
    {
        var prompts = new ZeroShotPrompts(s_fashion, PromptTemplates.Default);
        var t = PromptTemplates.Default.Count;
        Assert.Equal(s_fashion.Count * t, prompts.Texts.Count);
        Assert.Equal("a photo of a Ankle boot.", prompts.Texts[9 * t]);
        Assert.Equal("a blurry photo of a T-shirt/top.", prompts.Texts[1]);

        using var tokens = prompts.Tokenize(fixture.Tokenizer);
        Assert.Equal([10L, t, 77L], tokens.shape);
        for (var c = 0; c < s_fashion.Count; c++)
            for (var k = 0; k < t; k++)
                Assert.Equal(fixture.Tokenizer.Tokenize(prompts.Texts[c * t + k]).Select(i => (long)i),
                    tokens[c, k].data<long>().ToArray());
    }

    [Fact]
    public void The_single_template_gives_the_canonical_ids()
    {
        using var tokens = new ZeroShotPrompts(["cat", "dog"], PromptTemplates.Single).Tokenize(fixture.Tokenizer, contextLength: 8);
        // "a photo of a cat." is [49406, 320, 1125, 539, 320, 2368, 269, 49407]; dog</w> is 1929 (bumblebee's test)
        Assert.Equal([49406L, 320, 1125, 539, 320, 2368, 269, 49407], tokens[0, 0].data<long>().ToArray());
        Assert.Equal([49406L, 320, 1125, 539, 320, 1929, 269, 49407], tokens[1, 0].data<long>().ToArray());
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        Assert.Contains("no {}", Assert.Throws<ArgumentException>(() => new ZeroShotPrompts(["cat"], ["a photo"])).Message);
        Assert.Contains("class name 1", Assert.Throws<ArgumentException>(() => new ZeroShotPrompts(["cat", " "])).Message);
        Assert.Throws<ArgumentException>(() => new ZeroShotPrompts([]));
        Assert.Throws<ArgumentException>(() => new ZeroShotPrompts(["cat"], []));
    }
}
