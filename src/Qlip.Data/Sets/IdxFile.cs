using System.Buffers.Binary;
using System.IO.Compression;

namespace Qlip.Data.Sets;

/// <summary>
/// Reads IDX files (the MNIST format: 0x00 0x00 type ndim, then ndim big-endian int32 sizes, then the data), raw or
/// gzip-compressed (detected from the bytes). Only unsigned-byte data (type 0x08) is supported, which is all MNISTs use.
/// </summary>
public static class IdxFile
{
    /// <summary>The dimensions and the raw bytes of the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Bad magic, unsupported type, or fewer bytes than the header says.</exception>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        using Stream stream = magic is [0x1f, 0x8b] ? new GZipStream(file, CompressionMode.Decompress) : file;

        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, path, "header");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (magic {Convert.ToHexString(header)})");
        if (header[2] != 0x08)
            throw new InvalidDataException($"{path}: IDX element type 0x{header[2]:x2} is not unsigned byte (0x08)");
        var dims = new int[header[3]];
        Span<byte> size = stackalloc byte[4];
        long total = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            ReadExactly(stream, size, path, "dimensions");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(size);
            total *= dims[i];
        }
        var data = new byte[total];
        ReadExactly(stream, data, path, "data");
        return (dims, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string part)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: IDX file ends inside its {part}", e);
        }
    }
}
