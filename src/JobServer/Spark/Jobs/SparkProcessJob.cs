using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Runs a Spark job of another language through the runner the daemon ships for it (<c>Spark/Python</c>,
/// <c>Spark/Java</c>): the request goes in on stdin, one JSON line comes back on stdout —
/// <c>{"result": …}</c> or <c>{"error": {status, message, errorClass, stack}}</c>. The interpreter is a child of
/// the job's worker; an abort kills it with its process tree, and a worker that is killed takes it along. Its
/// answer is bounded, and its stderr is kept only as the tail for an error message.
/// </summary>
internal static class SparkProcessJob
{
    /// <summary>The largest answer (the result's JSON) read from the runner.</summary>
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    private const int StderrTailChars = 4096;

    /// <summary>The runners' folder in the daemon's output (the worker is the daemon's own executable).</summary>
    public static string RunnerPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Spark", .. parts]);

    /// <param name="command">The interpreter (<c>python3</c>, <c>java</c>), found on PATH.</param>
    /// <param name="arguments">Its arguments: the runner, the binary, the class.</param>
    /// <param name="request">What the runner reads on stdin.</param>
    /// <param name="context">The job: its abort kills the interpreter.</param>
    public static async Task<JsonNode?> RunAsync(string command, IEnumerable<string> arguments, string request,
        SparkJobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.Job.Aborted;
        using var runner = Start(command, arguments);
        var answer = ReadBoundedAsync(runner.StandardOutput.BaseStream);
        var stderr = TailAsync(runner.StandardError);
        try
        {
            await runner.StandardInput.WriteAsync(request.AsMemory(), aborted);
            runner.StandardInput.Close();
            await runner.WaitForExitAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            runner.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException) when (!runner.HasExited || runner.ExitCode != 0)
        {
            // The runner ended before it read its input: its exit code and stderr say why (below).
            await runner.WaitForExitAsync(aborted);
        }

        return Interpret(await answer, runner.ExitCode, await stderr);
    }

    private const string WorkerPidVariable = "JOBSERVER_SPARK_WORKER_PID";

    private static Process Start(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, StandardInputEncoding = new UTF8Encoding(false),
        };
        // The runner ends itself once this worker is gone (a context killed with kill -9); it compares its parent
        // with this pid, since it may start after the worker died and have been adopted by init already.
        start.Environment[WorkerPidVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw SparkJobFailure.Loading($"{command} could not be started");
        }
        catch (Win32Exception e)
        {
            throw SparkJobFailure.Loading($"{command} was not found on PATH ({e.Message}); these jobs need it");
        }
    }

    private static JsonNode? Interpret(byte[]? answer, int exitCode, string stderr)
    {
        if (answer is null)
        {
            throw new CallError($"The job's result is larger than {MaxAnswerBytes} bytes");
        }

        JsonObject? parsed;
        try
        {
            parsed = answer.Length == 0 ? null : JsonNode.Parse(answer) as JsonObject;
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is null)
        {
            throw new CallError($"The job's runner ended with exit code {exitCode} without an answer: {stderr.Trim()}");
        }

        if (parsed["error"] is not JsonObject error)
        {
            return parsed.TryGetPropertyValue("resultText", out var text) ? ParseResult(text) : parsed["result"]?.DeepClone();
        }

        var message = error["message"]?.GetValue<string>() ?? "";
        throw error["status"]?.GetValue<string>() switch
        {
            SparkJobFailure.ValidationFailed => SparkJobFailure.Validation([message]),
            SparkJobFailure.LoadingFailed => SparkJobFailure.Loading(message),
            "CLASS NOT FOUND" => new CallError(message, Errno.ENOENT),
            _ => SparkJobFailure.Raised(message, error["errorClass"]?.GetValue<string>() ?? "",
                error["stack"]?.GetValue<string>() ?? ""),
        };
    }

    /// <summary>A result the job wrote as JSON text itself (Java's): parsed here, so bad JSON fails the job.</summary>
    private static JsonNode? ParseResult(JsonNode? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text.GetValue<string>());
        }
        catch (JsonException e)
        {
            throw new CallError($"The job's result is not JSON: {e.Message}");
        }
    }

    /// <summary>All of <paramref name="stream"/>, or null once it passes <see cref="MaxAnswerBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        var tooLarge = false;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            tooLarge |= buffer.Length + read > MaxAnswerBytes;
            if (!tooLarge)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return tooLarge ? null : buffer.ToArray();
    }

    /// <summary>The last <see cref="StderrTailChars"/> characters of the runner's stderr (the job's prints, a trace).</summary>
    private static async Task<string> TailAsync(StreamReader stderr)
    {
        var tail = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await stderr.ReadAsync(chunk)) > 0)
        {
            tail.Append(chunk, 0, read);
            if (tail.Length > StderrTailChars)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }

        return tail.ToString();
    }
}
