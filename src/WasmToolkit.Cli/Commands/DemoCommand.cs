using System.IO;
using System.Reflection;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// What <c>wasmtk</c> does without arguments: inspect and validate the sample module embedded in the
/// tool (<c>samples/modules/sample.wat</c>), so a fresh checkout shows the toolkit working at once.
/// </summary>
internal static class DemoCommand
{
    public const string SampleName = "sample.wat";

    public static int Run(TextWriter stdout, TextWriter stderr)
    {
        var bytes = ReadSample();
        stdout.WriteLine("wasmtk: no arguments given, so inspecting and validating the embedded sample module");
        stdout.WriteLine("(samples/modules/sample.wat). Run `wasmtk --help` for the commands.");
        stdout.WriteLine();
        var loaded = ModuleLoader.LoadText(bytes, SampleName);
        var inspect = InspectCommand.Print(SampleName, loaded, stdout, stderr);
        stdout.WriteLine();
        stdout.WriteLine("Validation:");
        var valid = ValidateCommand.ValidateOne(SampleName, loaded, quiet: false, stdout);
        return inspect == 0 && valid ? 0 : 1;
    }

    internal static byte[] ReadSample()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(SampleName)
            ?? throw new InvalidDataException("The embedded sample module is missing from the build.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
