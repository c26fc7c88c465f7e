using System.Runtime.CompilerServices;

// The daemon attaches its event hub to services it registers.
[assembly: InternalsVisibleTo("JobServer")]
[assembly: InternalsVisibleTo("JobServer.Tests")]
