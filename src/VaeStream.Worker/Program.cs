using VaeStream.Worker.CommandLine;
using VaeStream.Worker.Hosting;

MallocArenas.Bound();
return await VaeStreamCommandLine.Worker().InvokeAsync(args);
