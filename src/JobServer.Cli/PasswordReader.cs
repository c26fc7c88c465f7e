using System.Text;

namespace JobServer.Cli;

/// <summary>
/// Reads a password where nobody else sees it: from a terminal without echo, or the first line of standard input
/// (<c>--password-stdin</c>); never from an argument another user could read in the process list.
/// </summary>
internal static class PasswordReader
{
    public static string FromStdin() =>
        Console.In.ReadLine() ?? throw new UsageException("--password-stdin: standard input is empty");

    public static string Prompt(string username)
    {
        if (Console.IsInputRedirected)
        {
            throw new UsageException($"-U {username}: give the password with --password-stdin, -P, or run on a terminal to be asked");
        }

        Console.Error.Write($"Password for {username}: ");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
