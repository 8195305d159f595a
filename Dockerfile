# syntax=docker/dockerfile:1
# Two images from one build. The default (last) target, runtime, is the worker: vaestream-worker, with run and health
# and nothing else. The tools target is the vaestream command (generate, dev-broker, train, score, evaluate, demo),
# which compose's generator uses. Build with the .NET 10 SDK image, run on the ASP.NET Core 10 runtime image (its
# Kestrel serves /metrics and the health checks). Both are Ubuntu 24.04 based, and their libstdc++ has the GLIBCXX
# versions libtorch asks for, so build/TorchSharpGlibcxxFix.targets finds nothing to patch here; it only acts on
# machines like Debian 12 whose libstdc++ is older.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the files that name packages, so code edits reuse the restore layer.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/VaeStream.Model/VaeStream.Model.csproj src/VaeStream.Model/
COPY src/VaeStream.Kafka/VaeStream.Kafka.csproj src/VaeStream.Kafka/
COPY src/VaeStream.Worker/VaeStream.Worker.csproj src/VaeStream.Worker/
COPY src/VaeStream.Evaluation/VaeStream.Evaluation.csproj src/VaeStream.Evaluation/
COPY src/VaeStream.Simulation/VaeStream.Simulation.csproj src/VaeStream.Simulation/
COPY src/VaeStream.Kafka.Testing/VaeStream.Kafka.Testing.csproj src/VaeStream.Kafka.Testing/
COPY src/VaeStream.Cli/VaeStream.Cli.csproj src/VaeStream.Cli/
# The tool references the worker, so one restore serves both targets; only the build stage sees the tools' packages.
RUN dotnet restore src/VaeStream.Cli/VaeStream.Cli.csproj -r linux-x64
COPY config/ config/
COPY src/ src/
RUN dotnet publish src/VaeStream.Worker/VaeStream.Worker.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

# Built only for the tools target: BuildKit skips a stage no target needs.
FROM build AS build-tools
RUN dotnet publish src/VaeStream.Cli/VaeStream.Cli.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /tools

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS tools
WORKDIR /app
COPY --from=build-tools /tools ./
USER app
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["dotnet", "/app/vaestream.dll"]
CMD ["--help"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Checkpoints live on a volume owned by the image's non-root user ("app", uid 1654 in the .NET images).
RUN mkdir -p /data/checkpoints && chown -R app:app /data
COPY --from=build /app ./
USER app
VOLUME ["/data/checkpoints"]
# The worker caps glibc's malloc arenas itself (Hosting/MallocArenas); the variable says so to anyone reading the
# image, and covers the native threads that start before Main.
ENV MALLOC_ARENA_MAX=2 \
    VAESTREAM__Checkpoints__Directory=/data/checkpoints \
    VAESTREAM__Operations__Address=* \
    VAESTREAM__Operations__Port=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/vaestream-worker.dll", "health", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "/app/vaestream-worker.dll"]
CMD ["run"]
