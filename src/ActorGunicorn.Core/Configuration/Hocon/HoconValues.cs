using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Classifies Akka HOCON values. Akka's <c>IsArray()</c> is false for <c>[]</c>, and <c>[ ]</c> holds one empty
/// element, so everything that reads or writes lists goes through here rather than asking Akka directly.
/// </summary>
internal static class HoconValues
{
    /// <summary>Whether the value is a scalar: a string, number, boolean or <c>null</c>.</summary>
    public static bool IsScalar(HoconValue value) => value.IsEmpty || value.IsString();

    /// <summary>The elements of a list value, without the empty elements Akka's parser leaves for whitespace.</summary>
    public static IEnumerable<HoconValue> Items(HoconValue value) => value.GetArray().Where(item => !item.IsEmpty);

    /// <summary>
    /// Reads a scalar (which may be HOCON <c>null</c>). Lists and objects are refused with a phrase naming what was
    /// expected and what was found.
    /// </summary>
    public static bool TryGetScalar(HoconValue value, string expected, out string? text, [NotNullWhen(false)] out string? problem)
    {
        text = null;
        problem = value.IsObject() ? $"expected {expected}, found an object"
            : !IsScalar(value) ? $"expected {expected}, found a list"
            : null;
        if (problem is null && !value.IsEmpty)
        {
            text = value.GetString();
        }

        return problem is null;
    }

    /// <summary>A value as it appears in an error message: quoted like Python's repr, so empty strings are visible.</summary>
    public static string Show(string? text) => text is null ? "null" : $"'{text}'";
}
