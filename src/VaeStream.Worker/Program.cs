using VaeStream.Worker.Cli;
using VaeStream.Worker.Hosting;

MallocArenas.Bound();
return await VaeStreamCommandLine.Build().InvokeAsync(args);
