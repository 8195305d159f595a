using VaeStream.Cli;
using VaeStream.Worker.Hosting;

// The demo runs the worker in this process, so the process caps malloc arenas as the worker's own does.
MallocArenas.Bound();
return await VaeStreamCli.Build().InvokeAsync(args);
