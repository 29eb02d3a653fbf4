using System.Text;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/// <summary>
/// The header (or trailer) fields of one request, in the order received, duplicates kept, names as received. Names
/// and values are byte spans into the request head's own copy; the latin-1 strings are made only when asked for, once.
/// Spans stay valid until the owning <see cref="HttpRequestHead"/> is reset or grows (the next parse call).
/// </summary>
public sealed class HttpHeaderFields
{
    private readonly HttpRequestHead _owner;
    private Entry[] _entries = new Entry[16];

    internal HttpHeaderFields(HttpRequestHead owner) => _owner = owner;

    /// <summary>Number of fields.</summary>
    public int Count { get; private set; }

    /// <summary>The field at <paramref name="index"/>.</summary>
    public HttpHeaderField this[int index]
    {
        get
        {
            CheckIndex(index);
            return new HttpHeaderField(this, index);
        }
    }

    /// <summary>The name of field <paramref name="index"/>, as received.</summary>
    public ReadOnlySpan<byte> GetNameBytes(int index)
    {
        CheckIndex(index);
        ref Entry entry = ref _entries[index];
        return _owner.Bytes(entry.NameStart, entry.NameLength);
    }

    /// <summary>The value of field <paramref name="index"/>, with surrounding SP/HTAB removed (folded lines joined).</summary>
    public ReadOnlySpan<byte> GetValueBytes(int index)
    {
        CheckIndex(index);
        ref Entry entry = ref _entries[index];
        return _owner.Bytes(entry.ValueStart, entry.ValueLength);
    }

    /// <summary>The name of field <paramref name="index"/> as a latin-1 string, made on first use.</summary>
    public string GetName(int index)
    {
        CheckIndex(index);
        ref Entry entry = ref _entries[index];
        return entry.Name ??= Encoding.Latin1.GetString(_owner.Bytes(entry.NameStart, entry.NameLength));
    }

    /// <summary>The value of field <paramref name="index"/> as a latin-1 string, made on first use.</summary>
    public string GetValue(int index)
    {
        CheckIndex(index);
        ref Entry entry = ref _entries[index];
        return entry.Value ??= entry.ValueLength == 0
            ? string.Empty
            : Encoding.Latin1.GetString(_owner.Bytes(entry.ValueStart, entry.ValueLength));
    }

    /// <summary>Index of the first field at or after <paramref name="startIndex"/> named <paramref name="name"/> (ASCII case-insensitive), or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> name, int startIndex = 0)
    {
        for (int i = startIndex; i < Count; i++)
        {
            ref Entry entry = ref _entries[i];
            if (entry.NameLength == name.Length && Ascii.EqualsIgnoreCase(_owner.Bytes(entry.NameStart, entry.NameLength), name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the first field at or after <paramref name="startIndex"/> named <paramref name="name"/> (ASCII case-insensitive), or -1.</summary>
    public int IndexOf(string name, int startIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = startIndex; i < Count; i++)
        {
            ref Entry entry = ref _entries[i];
            if (entry.NameLength == name.Length && Ascii.EqualsIgnoreCase(_owner.Bytes(entry.NameStart, entry.NameLength), name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of the first field named <paramref name="name"/>, or null.</summary>
    public string? GetFirstValue(string name)
    {
        int index = IndexOf(name);
        return index < 0 ? null : GetValue(index);
    }

    /// <summary>Enumerates the fields in order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    internal HeaderKind GetKind(int index) => _entries[index].Kind;

    internal void Add(int nameStart, int nameLength, int valueStart, int valueLength, HeaderKind kind)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = new Entry
        {
            NameStart = nameStart,
            NameLength = nameLength,
            ValueStart = valueStart,
            ValueLength = valueLength,
            Kind = kind,
        };
    }

    internal void Clear()
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    private struct Entry
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
        public HeaderKind Kind;
        public string? Name;
        public string? Value;
    }

    /// <summary>A non-allocating enumerator over the fields.</summary>
    public struct Enumerator
    {
        private readonly HttpHeaderFields _collection;
        private int _index;

        internal Enumerator(HttpHeaderFields collection)
        {
            _collection = collection;
            _index = -1;
        }

        /// <summary>The current field.</summary>
        public readonly HttpHeaderField Current => new(_collection, _index);

        /// <summary>Moves to the next field.</summary>
        public bool MoveNext() => ++_index < _collection.Count;
    }
}
