namespace ActorGunicorn.Http;

/// <summary>One field of an <see cref="HttpHeaderFields"/>: a view, valid as long as the collection is unchanged.</summary>
public readonly struct HttpHeaderField : IEquatable<HttpHeaderField>
{
    private readonly HttpHeaderFields _collection;
    private readonly int _index;

    internal HttpHeaderField(HttpHeaderFields collection, int index)
    {
        _collection = collection;
        _index = index;
    }

    /// <summary>The name as received.</summary>
    public ReadOnlySpan<byte> NameBytes => _collection.GetNameBytes(_index);

    /// <summary>The trimmed value.</summary>
    public ReadOnlySpan<byte> ValueBytes => _collection.GetValueBytes(_index);

    /// <summary>The name as a latin-1 string (made once, on first use).</summary>
    public string Name => _collection.GetName(_index);

    /// <summary>The value as a latin-1 string (made once, on first use).</summary>
    public string Value => _collection.GetValue(_index);

    /// <summary>Compares two views: equal when they designate the same field of the same collection.</summary>
    public static bool operator ==(HttpHeaderField left, HttpHeaderField right) => left.Equals(right);

    /// <summary>Compares two views: different when they designate different fields.</summary>
    public static bool operator !=(HttpHeaderField left, HttpHeaderField right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(HttpHeaderField other) => ReferenceEquals(_collection, other._collection) && _index == other._index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HttpHeaderField other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_collection, _index);
}
