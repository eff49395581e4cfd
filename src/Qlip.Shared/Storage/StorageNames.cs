namespace Qlip.Shared.Storage;

/// <summary>
/// Every container, queue and table name the pipeline uses: the one source of truth shared by the code,
/// `qlip dev up`, the tests and infra/bicep (a test compares the compiled Bicep with these lists).
/// </summary>
public static class StorageNames
{
    public static class Containers
    {
        public const string Incoming = "incoming";
        public const string Shards = "shards";
        public const string Tokens = "tokens";
        public const string Checkpoints = "checkpoints";
        public const string Runs = "runs";
        public const string Exports = "exports";

        public static readonly IReadOnlyList<string> All = [Incoming, Shards, Tokens, Checkpoints, Runs, Exports];
    }

    public static class Queues
    {
        public const string Ingest = "ingest";
        public const string Caption = "caption";
        public const string Tokenize = "tokenize";
        public const string TrainRuns = "train-runs";

        /// <summary>Azure Functions' naming for the queue that receives messages failing MaxDequeueCount times.</summary>
        public static string PoisonOf(string queue) => queue + "-poison";

        public static readonly IReadOnlyList<string> Work = [Ingest, Caption, Tokenize, TrainRuns];

        public static readonly IReadOnlyList<string> All = [.. Work, .. Work.Select(PoisonOf)];
    }

    public static class Tables
    {
        /// <summary>PartitionKey = dataset, RowKey = shard id: status, counts, source sha256, caption/tokenize state.</summary>
        public const string Shards = "shards";
        /// <summary>PartitionKey = run kind, RowKey = run id: status, lease holder, last checkpoint, metrics summary.</summary>
        public const string Runs = "runs";
        /// <summary>
        /// Exact-dedup index: PartitionKey = dataset + "-" + first two hex digits of the image sha256, RowKey = the sha256:
        /// the shard and key that claimed the image first.
        /// </summary>
        public const string ImageHashes = "imagehashes";

        public static readonly IReadOnlyList<string> All = [Shards, Runs, ImageHashes];
    }
}
