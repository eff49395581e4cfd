using System.Text.Json.Nodes;

namespace Qlip.Infra.Tests;

/// <summary>
/// Compiles, lints and snapshots infra/bicep once for all tests (in a temp copy: `bicep snapshot` writes next to
/// the parameter file). The Bicep calls run in parallel; together they take about 10-20 s on 2 cores.
/// </summary>
public sealed class InfraTemplates : IAsyncLifetime
{
    public const string ImageTag = "test-tag";
    public const string CaptionApiKey = "test-caption-key";

    static readonly string[] SnapshotScope =
    [
        "--subscription-id", "00000000-0000-0000-0000-00000000a11c",
        "--tenant-id", "00000000-0000-0000-0000-00000000ab1e",
        "--resource-group", "rg-qlip-test",
        "--location", "westus3",
        "--mode", "overwrite",
    ];

    /// <summary>The parameter files under infra/bicep/params, as theory data.</summary>
    public static TheoryData<string> Environments => ["dev", "prod"];

    public static string SourceDirectory => Path.Combine(BicepCli.RepoRoot, "infra", "bicep");

    public string WorkDirectory { get; } = CopyToTemp(SourceDirectory);

    /// <summary>main.bicep compiled to an ARM template (modules nested inside).</summary>
    public string CompiledMainTemplate { get; private set; } = "";

    /// <summary>`bicep build` of main.bicep: exit code, and compiler + linter diagnostics as SARIF (stderr).</summary>
    public BicepResult Build { get; private set; } = null!;

    /// <summary>`bicep lint` of main.bicep: the same linter rules, SARIF on stdout.</summary>
    public BicepResult Lint { get; private set; } = null!;

    /// <summary>Full deployments (images tagged) for dev and prod.</summary>
    public IReadOnlyDictionary<string, DeploymentSnapshot> Snapshots { get; private set; } =
        new Dictionary<string, DeploymentSnapshot>();

    /// <summary>dev without an image tag: the first, platform-only deployment.</summary>
    public DeploymentSnapshot PlatformOnly { get; private set; } = null!;

    public static readonly IReadOnlyDictionary<string, string> WithImages = new Dictionary<string, string>
    {
        ["QLIP_IMAGE_TAG"] = ImageTag,
        ["QLIP_CAPTION_ENDPOINT"] = "https://captions.example.test/v1",
        ["QLIP_CAPTION_MODEL"] = "test-model",
        ["QLIP_CAPTION_API_KEY"] = CaptionApiKey,
    };

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(WorkDirectory, "params", "dev.bicepparam"),
            Path.Combine(WorkDirectory, "params", "dev.platform.bicepparam"));
        var compiled = Path.Combine(WorkDirectory, "out", "main.json");
        var build = BuildAsync(WorkDirectory, compiled);
        var lint = BicepCli.RunAsync(WorkDirectory, null, "lint", "main.bicep", "--diagnostics-format", "sarif");
        var dev = SnapshotAsync(WorkDirectory, "params/dev.bicepparam", WithImages);
        var prod = SnapshotAsync(WorkDirectory, "params/prod.bicepparam", WithImages);
        var platform = SnapshotAsync(WorkDirectory, "params/dev.platform.bicepparam", null);

        Build = (await build).EnsureSuccess();
        Lint = (await lint).EnsureSuccess();
        CompiledMainTemplate = await File.ReadAllTextAsync(compiled);
        Snapshots = new Dictionary<string, DeploymentSnapshot> { ["dev"] = await dev, ["prod"] = await prod };
        PlatformOnly = await platform;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(WorkDirectory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Compiles main.bicep under <paramref name="directory"/> with SARIF diagnostics.</summary>
    public static Task<BicepResult> BuildAsync(string directory, string outputFile) =>
        BicepCli.RunAsync(directory, null, "build", "main.bicep", "--outfile", outputFile, "--diagnostics-format", "sarif");

    /// <summary>Runs `bicep snapshot` on a parameter file under <paramref name="directory"/> and parses the result.</summary>
    public static async Task<DeploymentSnapshot> SnapshotAsync(string directory, string parameterFile,
        IReadOnlyDictionary<string, string>? environment)
    {
        (await BicepCli.RunAsync(directory, environment, ["snapshot", parameterFile, .. SnapshotScope])).EnsureSuccess();
        var path = Path.Combine(directory, Path.ChangeExtension(parameterFile, ".snapshot.json"));
        var root = JsonNode.Parse(await File.ReadAllTextAsync(path))
            ?? throw new InvalidDataException($"{path} is empty");
        var diagnostics = root["diagnostics"]?.AsArray() ?? [];
        if (diagnostics.Count > 0)
            throw new InvalidDataException($"snapshot of {parameterFile} reported: {diagnostics.ToJsonString()}");
        return new DeploymentSnapshot(parameterFile, root);
    }

    /// <summary>A private copy of infra/bicep (without earlier snapshot files) to run the CLI in.</summary>
    public static string CopyToTemp(string source)
    {
        var target = Directory.CreateTempSubdirectory("qlip-bicep-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".snapshot.json", StringComparison.Ordinal)) continue;
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }
}
