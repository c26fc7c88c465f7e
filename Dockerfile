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
# Data (database, job logs, plugins) lives in a volume owned by the unprivileged "app" user of the base image.
RUN mkdir -p /data && chown app:app /data
VOLUME ["/data"]
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8090 \
    JobServer__DataDir=/data
EXPOSE 8090
ENTRYPOINT ["dotnet", "JobServer.dll"]
