namespace ActorGunicorn.Configuration;

/// <summary>Greedy word wrapping for the generated help, reference.conf comments and docs.</summary>
internal static class TextWrap
{
    /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters; a longer word stands alone.</summary>
    public static string[] Lines(string text, int width)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }
        }

        lines.Add(line);
        return [.. lines];
    }
}
