using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.Data.Tests.Sets;

public class PackagedSetsTests
{
    [Fact]
    public void Emoji_set_has_every_google_image_with_a_name()
    {
        var all = RealData.Emoji;
        Assert.Equal(3_786, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Unified).Distinct().Count());
        Assert.All(all, e => Assert.False(string.IsNullOrWhiteSpace(e.Name)));
        Assert.Contains(all, e => e.Name == "grinning face");
        Assert.Contains(all, e => e.Name.EndsWith("medium skin tone", StringComparison.Ordinal));
        var header = ImageDecoder.ReadHeader(File.ReadAllBytes(all[0].ImagePath));
        Assert.Equal((ImageFileFormat.Png, 64, 64), (header.Format, header.Width, header.Height));

        var test = EmojiDataset.Load(RealData.Paths, DataSplit.Test);
        var train = EmojiDataset.Load(RealData.Paths, DataSplit.Train);
        Assert.Equal(all.Count, test.Count + train.Count);
        Assert.Empty(test.Select(e => e.Unified).Intersect(train.Select(e => e.Unified)));
    }

    [Fact]
    public void Openclipart_titles_and_keywords_come_from_the_svg_work_metadata()
    {
        var item = OpenClipartDataset.Load(RealData.Paths, DataSplit.Train).Concat(OpenClipartDataset.Load(RealData.Paths, DataSplit.Test))
            .Single(i => i.RelativePath == "animals/bugs/mostriciattolo2_architet_01");
        var metadata = OpenClipartMetadata.Read(item.SvgPath);
        // The creator and publisher agents also have dc:title; only the work's title counts.
        Assert.Equal("Mostriciattolo2", metadata.Title);
        // Its keywords are "architetto francesco rollandin" (the author, dropped) and "insect".
        Assert.Equal(["insect"], metadata.Keywords);
        Assert.Equal("animals/bugs", item.Category);
    }

    [Fact]
    public void Openclipart_split_is_a_tenth_of_the_8121_images()
    {
        var test = OpenClipartDataset.Load(RealData.Paths, DataSplit.Test);
        var train = OpenClipartDataset.Load(RealData.Paths, DataSplit.Train);
        Assert.Equal(8_121, test.Count + train.Count);
        Assert.Equal(812, test.Count);
    }

    [Fact]
    public void Imagenet_classes_are_in_the_standard_index_order()
    {
        var classes = RealData.ImageNetClasses;
        Assert.Equal(1_000, classes.Count);
        Assert.Equal(("n01440764", "tench"), classes[0]);
        Assert.Equal(("n02099601", "golden retriever"), classes[207]);
        Assert.Equal(("n15075141", "toilet tissue"), classes[999]);
    }

    [Fact]
    public void Photos_and_clip_vocabulary_are_in_place()
    {
        Assert.Equal(26, RealData.Photos.Count);
        Assert.Equal((512, 512), ImageDecoder.Decode(File.ReadAllBytes(RealData.Photos.Single(p => p.EndsWith("astronaut.png")))) is var a ? (a.Width, a.Height) : default);
        var header = ImageDecoder.ReadHeader(File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith("dog.jpg"))));
        Assert.Equal((ImageFileFormat.Jpeg, 768, 576), (header.Format, header.Width, header.Height));
        using var vocab = new StreamReader(RealData.ClipBpeVocab);
        var start = new char[200];
        vocab.ReadBlock(start);
        Assert.Contains("bpe_simple_vocab_16e6.txt#version: 0.2", new string(start));
    }
}
