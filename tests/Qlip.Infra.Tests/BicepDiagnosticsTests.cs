using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Qlip.Infra.Tests;

/// <summary>`bicep build` and `bicep lint` pass; any warning left must be explained in docs/deploy.md.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class BicepDiagnosticsTests(InfraTemplates templates)
{
    [GeneratedRegex(@"^## Bicep warnings\s*$(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex WarningsSection();

    [GeneratedRegex(@"^\s*[-*] `(?<rule>[A-Za-z0-9-]+)`", RegexOptions.Multiline)]
    private static partial Regex ExplainedRule();

    [Fact]
    public void Main_template_compiles_to_an_arm_template_with_its_modules()
    {
        var template = JsonNode.Parse(templates.CompiledMainTemplate)!;

        Assert.Contains("deploymentTemplate.json", (string)template["$schema"]!);
        var modules = template["resources"]!.AsObject().Select(r => (string?)r.Value!["type"])
            .Count(t => t == "Microsoft.Resources/deployments");
        Assert.Equal(8, modules);
    }

    [Fact]
    public void Build_and_lint_report_no_errors_and_only_explained_warnings()
    {
        var explained = ExplainedWarnings();

        var problems = Diagnostics(templates.Build.StdErr).Concat(Diagnostics(templates.Lint.StdOut))
            .Where(d => d.Level == "error" || !explained.Contains(d.Rule))
            .Select(d => $"{d.Level} {d.Rule}: {d.Message}").ToList();

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task A_lint_finding_shows_up_in_the_diagnostics()
    {
        // Guards the check above against a build that silently reports nothing.
        var copy = InfraTemplates.CopyToTemp(InfraTemplates.SourceDirectory);
        try
        {
            File.AppendAllText(Path.Combine(copy, "main.bicep"), "\nparam leftover string\n");

            var result = await InfraTemplates.BuildAsync(copy, Path.Combine(copy, "out", "main.json"));

            Assert.Contains(Diagnostics(result.StdErr), d => d.Rule == "no-unused-params" && d.Level == "warning");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>SARIF results (build writes them to stderr, lint to stdout); a result without a level is a warning.</summary>
    static List<(string Rule, string Level, string Message)> Diagnostics(string sarif) =>
        JsonNode.Parse(sarif)!["runs"]!.AsArray().SelectMany(r => r!["results"]!.AsArray())
            .Select(d => ((string)d!["ruleId"]!, (string?)d["level"] ?? "warning", (string)d["message"]!["text"]!))
            .ToList();

    static HashSet<string> ExplainedWarnings()
    {
        var guide = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "docs", "deploy.md"));
        var section = WarningsSection().Match(guide);
        Assert.True(section.Success, "docs/deploy.md needs a '## Bicep warnings' section");
        return ExplainedRule().Matches(section.Groups["body"].Value).Select(m => m.Groups["rule"].Value).ToHashSet();
    }
}
