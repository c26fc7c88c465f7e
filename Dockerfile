# syntax=docker/dockerfile:1
# Multi-stage build: the SDK image builds and publishes, the ASP.NET runtime image runs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/JobServer.Sdk/JobServer.Sdk.csproj src/JobServer.Sdk/
COPY src/JobServer/JobServer.csproj src/JobServer/
RUN dotnet restore src/JobServer/JobServer.csproj
COPY src/ src/
RUN dotnet publish src/JobServer/JobServer.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# Data (database, job logs, plugins) lives in a volume owned by the unprivileged "app" user of the base image
# (uid 1654). A bind-mounted folder owned by another uid works with `docker run --user <uid>:<gid>` of its owner:
# nothing in /app needs to be written, and the daemon keeps the folder 0700 (docs/operations.md, "Docker").
RUN mkdir -p /data && chown app:app /data
VOLUME ["/data"]
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8090 \
    JobServer__DataDir=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8090
# Ready = the database takes writes and the job writer commits (/readyz). The runtime image has no curl: bash's
# /dev/tcp sends the request. A daemon started with other --urls needs this port changed too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8090 && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "JobServer.dll"]
