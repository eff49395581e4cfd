using System.Net;
using System.Net.Sockets;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Dev;

/// <summary>The three loopback ports an Azurite process listens on.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's defaults, 10000-10002: what the default <c>QLIP_STORAGE</c> points at.</summary>
    public static AzuritePorts Default { get; } =
        new(DevelopmentStorage.DefaultBlobPort, DevelopmentStorage.DefaultQueuePort, DevelopmentStorage.DefaultTablePort);

    /// <summary>Three ports that were free a moment ago (the OS picks them), for test fixtures.</summary>
    public static AzuritePorts PickFree()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new AzuritePorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    /// <summary>The dev-store connection string for these ports.</summary>
    public string ConnectionString => DevelopmentStorage.ConnectionString(Blob, Queue, Table);

    public IEnumerable<(string Service, int Port)> Named => [("blob", Blob), ("queue", Queue), ("table", Table)];
}
