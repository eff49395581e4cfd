using System.Xml;

namespace Qlip.Data.Sets;

/// <summary>
/// The title and keywords of an openclipart SVG: the <c>dc:title</c> of its <c>cc:Work</c> and the <c>rdf:li</c> items of
/// <c>dc:subject</c>, less the creator's name (many authors tag their own name). Reading stops at the end of
/// <c>&lt;metadata&gt;</c>, so large drawings are not parsed.
/// </summary>
public sealed record OpenClipartMetadata(string? Title, IReadOnlyList<string> Keywords)
{
    private const string Dc = "http://purl.org/dc/elements/1.1/";
    private const string Cc = "http://web.resource.org/cc/";
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    private static readonly XmlReaderSettings Settings = new()
    {
        // Illustrator SVGs declare internal entities; external ones are never fetched.
        DtdProcessing = DtdProcessing.Parse,
        XmlResolver = null,
        MaxCharactersFromEntities = 1 << 20,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary>Reads the metadata of <paramref name="svgPath"/>.</summary>
    /// <exception cref="XmlException">The SVG is not well-formed before its metadata ends.</exception>
    public static OpenClipartMetadata Read(string svgPath)
    {
        using var reader = XmlReader.Create(svgPath, Settings);
        string? title = null;
        var keywords = new List<string>();
        string? creator = null;
        var inSubject = false;
        var inCreator = false;
        var depthOfWork = -1;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.LocalName == "metadata") break;
                if (reader.LocalName == "subject" && reader.NamespaceURI == Dc) inSubject = false;
                if (reader.LocalName == "creator" && reader.NamespaceURI == Dc) inCreator = false;
                if (reader.LocalName == "Work" && reader.NamespaceURI == Cc) depthOfWork = -1;
            }
            else if (reader.NodeType == XmlNodeType.Element)
            {
                var isDc = reader.NamespaceURI == Dc;
                if (reader.LocalName == "Work" && reader.NamespaceURI == Cc) depthOfWork = reader.Depth;
                else if (isDc && reader.LocalName == "subject" && !reader.IsEmptyElement) inSubject = true;
                else if (isDc && reader.LocalName == "creator" && !reader.IsEmptyElement) inCreator = true;
                else if (isDc && reader.LocalName == "title" && inCreator && creator is null)
                {
                    creator = Clean(reader.ReadElementContentAsString());
                    continue;
                }
                else if (isDc && reader.LocalName == "title" && title is null && reader.Depth == depthOfWork + 1)
                {
                    // ReadElementContentAsString already moves past the element: skip the Read() below.
                    title = Clean(reader.ReadElementContentAsString());
                    continue;
                }
                else if (inSubject && reader.LocalName == "li" && reader.NamespaceURI == Rdf)
                {
                    if (Clean(reader.ReadElementContentAsString()) is { } keyword && !keywords.Contains(keyword)) keywords.Add(keyword);
                    continue;
                }
            }
            reader.Read();
        }
        keywords.RemoveAll(k => string.Equals(k, creator, StringComparison.OrdinalIgnoreCase));
        return new OpenClipartMetadata(title, keywords);
    }

    private static string? Clean(string text)
    {
        var cleaned = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return cleaned.Length == 0 ? null : cleaned;
    }
}
