using System.Text;

namespace ActorGunicorn.Logging;

/// <summary>
/// A <see cref="TextWriter"/> over the error log, handed to applications (the counterpart of <c>wsgi.errors</c>):
/// each completed line becomes one error-log entry.
/// </summary>
internal sealed class ErrorLogWriter(Serilog.ILogger logger) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                EmitLine();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            if (_line.Length > 0)
            {
                EmitLine();
            }
        }
    }

    private void EmitLine()
    {
        logger.Error("{Line:l}", _line.ToString());
        _line.Clear();
    }
}
