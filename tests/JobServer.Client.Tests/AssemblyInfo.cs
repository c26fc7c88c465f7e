// The jobctl tests drive Linux tools (script, setpriv) and Unix sockets and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
