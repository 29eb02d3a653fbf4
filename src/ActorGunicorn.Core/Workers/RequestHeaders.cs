using System.Collections;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;

namespace ActorGunicorn.Workers;

/// <summary>The gateway view of the parsed request headers; strings are made only for what the application reads.</summary>
internal sealed class RequestHeaders : IGatewayHeaders
{
    private HttpHeaderFields _fields = null!;

    /// <summary>Points the view at the current request's headers.</summary>
    public void Reset(HttpHeaderFields fields) => _fields = fields;

    public int Count => _fields.Count;

    public KeyValuePair<string, string> this[int index] => new(_fields.GetName(index), _fields.GetValue(index));

    public string? this[string name] => _fields.GetFirstValue(name);

    public bool Contains(string name) => _fields.IndexOf(name) >= 0;

    public IEnumerable<string> GetValues(string name)
    {
        for (int i = _fields.IndexOf(name); i >= 0; i = _fields.IndexOf(name, i + 1))
        {
            yield return _fields.GetValue(i);
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
