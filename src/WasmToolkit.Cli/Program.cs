namespace WasmToolkit.Cli;

internal static class Program
{
    private static int Main(string[] args) => CliApplication.Run(args, System.Console.Out, System.Console.Error);
}
