namespace Qlip.Shared.Storage;

/// <summary>
/// The local dev store (Azurite): its well-known account and the connection string for given ports.
/// The key is the emulator's published constant, not a secret, but connection strings are still never logged.
/// </summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string Host = "127.0.0.1";
    public const int DefaultBlobPort = 10000;
    public const int DefaultQueuePort = 10001;
    public const int DefaultTablePort = 10002;

    /// <summary>Connection string for an Azurite listening on 127.0.0.1 at the given ports.</summary>
    public static string ConnectionString(
        int blobPort = DefaultBlobPort, int queuePort = DefaultQueuePort, int tablePort = DefaultTablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://{Host}:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://{Host}:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://{Host}:{tablePort}/{AccountName};";
}
