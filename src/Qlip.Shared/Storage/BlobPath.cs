namespace Qlip.Shared.Storage;

/// <summary>A blob's container and name; built only by <see cref="BlobLayout"/>.</summary>
public readonly record struct BlobPath(string Container, string Name)
{
    public override string ToString() => $"{Container}/{Name}";
}
