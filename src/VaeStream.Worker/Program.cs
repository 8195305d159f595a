using VaeStream.Worker.Cli;

return await VaeStreamCommandLine.Build().InvokeAsync(args);
