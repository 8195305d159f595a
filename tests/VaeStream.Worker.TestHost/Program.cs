using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VaeStream.Worker.Hosting;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.TestHost;

MallocArenas.Bound();
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: VaeStream.Worker.TestHost SETTINGS.json JOURNAL.txt");
    return 2;
}

using var journal = new OffsetJournal(args[1]);
using IHost host = WorkerHost.Build(args[0], configure: services => services.AddSingleton<IScoreObserver>(journal));
await host.RunAsync();
return 0;
