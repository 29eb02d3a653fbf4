namespace ActorGunicorn.Http.Internal;

/// <summary>The header names the parser acts on, recognised once while parsing so later passes need no comparison.</summary>
internal enum HeaderKind : byte
{
    Other,
    Host,
    ContentType,
    ContentLength,
    TransferEncoding,
    Connection,
    Expect,
}
