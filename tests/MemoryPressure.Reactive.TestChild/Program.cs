using System.Globalization;
using MemoryPressure.Reactive;

// Commands, one per argument list:
//   probe   print one sample of the default probe as "Name=value" lines, then exit.
return args switch
{
    ["probe"] => PrintSample(),
    _ => Usage(),
};

static int PrintSample()
{
    var sample = MemoryProbe.Default.Read();
    foreach (var property in typeof(MemorySample).GetProperties())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{property.Name}={property.GetValue(sample)}"));
    }

    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.TestChild probe");
    return 2;
}
