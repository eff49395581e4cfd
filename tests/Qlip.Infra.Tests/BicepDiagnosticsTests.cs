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
    public void Lint_reports_no_errors_and_only_explained_warnings()
    {
        var explained = ExplainedWarnings();
        var problems = new List<string>();

        foreach (var (file, result) in templates.Lints)
        {
            Assert.True(result.ExitCode == 0, $"bicep lint {file} exited {result.ExitCode}: {result.StdErr}");
            foreach (var diagnostic in JsonNode.Parse(result.StdOut)!["runs"]!.AsArray().SelectMany(r => r!["results"]!.AsArray()))
            {
                var rule = (string)diagnostic!["ruleId"]!;
                var level = (string?)diagnostic["level"] ?? "warning";
                if (level == "error" || !explained.Contains(rule))
                    problems.Add($"{file}: {level} {rule}: {diagnostic["message"]!["text"]}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Lint_turns_a_real_problem_into_a_diagnostic()
    {
        // Guards the check above against a lint that silently reports nothing.
        var copy = InfraTemplates.CopyToTemp(InfraTemplates.SourceDirectory);
        try
        {
            File.AppendAllText(Path.Combine(copy, "main.bicep"), "\nparam leftover string\n");

            var result = await BicepCli.RunAsync(copy, null, "lint", "main.bicep", "--diagnostics-format", "sarif");

            var rules = JsonNode.Parse(result.StdOut)!["runs"]![0]!["results"]!.AsArray().Select(d => (string)d!["ruleId"]!);
            Assert.Contains("no-unused-params", rules);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    static HashSet<string> ExplainedWarnings()
    {
        var guide = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "docs", "deploy.md"));
        var section = WarningsSection().Match(guide);
        Assert.True(section.Success, "docs/deploy.md needs a '## Bicep warnings' section");
        return ExplainedRule().Matches(section.Groups["body"].Value).Select(m => m.Groups["rule"].Value).ToHashSet();
    }
}
