using System.ComponentModel.DataAnnotations;
using Qlip.Ingest.Processing;
using Qlip.Ingest.Sharding;

namespace Qlip.Ingest.Tests;

public sealed class ProcessingRulesTests
{
    [Theory]
    [InlineData("000000042", "000000042")]
    [InlineData("part1/0001", "part1_0001")]
    [InlineData("a b+c", "a_b_c")]
    public void Keys_are_made_safe_for_tar_member_names(string raw, string expected) =>
        Assert.Equal((expected, null, null), SampleKeys.Sanitize(raw));

    [Theory]
    [InlineData("../evil", "unsafe_key")]
    [InlineData("a/../b", "unsafe_key")]
    [InlineData("/etc/passwd", "unsafe_key")]
    [InlineData("a\\b", "unsafe_key")]
    [InlineData("a\u0000b", "unsafe_key")]
    [InlineData("", "unsafe_key")]
    [InlineData("cat.v2", "dotted_key")]
    public void Unsafe_and_dotted_keys_are_refused_with_their_reason(string raw, string reason)
    {
        var (key, actual, message) = SampleKeys.Sanitize(raw);
        Assert.Equal((null, reason), (key, actual));
        Assert.DoesNotContain('\u0000', message!);
    }

    [Theory]
    [InlineData("  a\tcat &amp; a\n\ndog&#39;s  bowl ", "a cat & a dog's bowl")]
    [InlineData("\uFEFFplain", "plain")]
    [InlineData(" \t ", null)]
    public void Captions_are_decoded_and_whitespace_normalised(string text, string? expected) =>
        Assert.Equal(expected, CaptionNormalizer.Normalize(System.Text.Encoding.UTF8.GetBytes(text), 1000).Caption);

    [Fact]
    public void Captions_are_capped_without_splitting_a_surrogate_pair()
    {
        var (caption, _, _) = CaptionNormalizer.Normalize(System.Text.Encoding.UTF8.GetBytes("abc😀def"), 4);
        Assert.Equal("abc", caption);
    }

    [Fact]
    public void Invalid_utf8_caption_is_refused_naming_the_byte()
    {
        var (caption, reason, message) = CaptionNormalizer.Normalize([0x61, 0x62, 0xC3, 0x28], 100);
        Assert.Equal((null, "invalid_caption_utf8"), (caption, reason));
        Assert.Contains("byte 2", message);
    }

    [Theory]
    [InlineData("00000042.tar", 42)]
    [InlineData("00000042.tar.gz", 42)]
    [InlineData("sa_000042.tar", 42)]
    [InlineData("train-00042-of-00100.parquet", 42)]
    [InlineData("part_42.parquet", 42)]
    [InlineData("images.tar", null)]
    [InlineData("a1b2.tar", null)]
    public void Shard_numbers_come_from_the_file_name(string fileName, int? expected) =>
        Assert.Equal(expected, ShardNumbering.FromFileName(fileName));

    [Fact]
    public void Caption_requests_stay_under_the_queue_limit_and_cover_every_key()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"{i:D9}").ToList();
        var requests = CaptionRequests.For("ds", "00000000", keys, allSamples: false, "zero-shot").ToList();

        Assert.True(requests.Count > 1);
        Assert.Equal(keys, requests.SelectMany(r => r.Keys!));
        Assert.All(requests, r => Qlip.Shared.Messages.QueueMessageCodec.Encode(r, Qlip.Shared.Messages.QueueBodyEncoding.Base64));
    }

    [Fact]
    public void Options_validation_names_the_bad_field()
    {
        var options = new IngestOptions { ImageSize = 0, MinCaptionLength = 50, MaxCaptionLength = 10 };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        results.AddRange(options.Validate(new ValidationContext(options)));

        Assert.Contains(results, r => r.MemberNames.Contains(nameof(IngestOptions.ImageSize)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(IngestOptions.MinCaptionLength)));
        Assert.Empty(new IngestOptions().Validate(new ValidationContext(new IngestOptions())));
    }
}
