using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Runs a Python Spark job (a class in an uploaded wheel or egg) with <c>python3</c> and the runner the daemon
/// ships (<c>Spark/Python/spark_runner.py</c>): the config goes in on stdin, one JSON line comes back on stdout.
/// The interpreter is a child of the job's worker; an abort kills it with its process tree, and a worker that is
/// killed takes it along. Its answer is bounded, and its stderr is kept only as the tail for an error message.
/// </summary>
internal static class SparkPythonJob
{
    /// <summary>The largest answer (the result's JSON) read from the runner.</summary>
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    private const int StderrTailChars = 4096;

    public static async Task<JsonNode?> RunAsync(string binaryPath, string className, JsonObject config,
        SparkJobContext context)
    {
        var aborted = context.Job.Aborted;
        using var python = Start(binaryPath, className);
        var answer = ReadBoundedAsync(python.StandardOutput.BaseStream);
        var stderr = TailAsync(python.StandardError);
        try
        {
            var request = new JsonObject { ["config"] = config.DeepClone(), ["jobId"] = context.JobId, ["contextName"] = context.ContextName };
            await python.StandardInput.WriteAsync(request.ToJsonString().AsMemory(), aborted);
            python.StandardInput.Close();
            await python.WaitForExitAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            python.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException) when (!python.HasExited || python.ExitCode != 0)
        {
            // The runner ended before it read its input: its exit code and stderr say why (below).
            await python.WaitForExitAsync(aborted);
        }

        return Interpret(await answer, python.ExitCode, await stderr);
    }

    private static Process Start(string binaryPath, string className)
    {
        var runner = Path.Combine(AppContext.BaseDirectory, "Spark", "Python", "spark_runner.py");
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, StandardInputEncoding = new UTF8Encoding(false),
        };
        // -I: isolated from PYTHON* variables and the user's site-packages; only the job's archive is added.
        foreach (var argument in new[] { "-I", runner, binaryPath, className })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw SparkJobFailure.Loading("python3 could not be started");
        }
        catch (Win32Exception e)
        {
            throw SparkJobFailure.Loading($"python3 was not found on PATH ({e.Message}); Python jobs need it");
        }
    }

    private static JsonNode? Interpret(byte[]? answer, int exitCode, string stderr)
    {
        if (answer is null)
        {
            throw new CallError($"The Python job's result is larger than {MaxAnswerBytes} bytes");
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
            throw new CallError($"The Python runner ended with exit code {exitCode} without an answer: {stderr.Trim()}");
        }

        if (parsed["error"] is not JsonObject error)
        {
            return parsed["result"]?.DeepClone();
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
