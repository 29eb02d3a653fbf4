namespace ActorGunicorn.Reloading;

/// <summary>Files <c>--reload</c> watches: those in <paramref name="Directory"/> whose names match <paramref name="Pattern"/>.</summary>
/// <param name="Directory">An absolute directory.</param>
/// <param name="Pattern">A file-name pattern with <c>*</c> and <c>?</c> (<c>*.py</c>), or one file's name.</param>
/// <param name="Recursive">Whether the directory's subdirectories are watched too.</param>
public sealed record WatchedFiles(string Directory, string Pattern, bool Recursive);
