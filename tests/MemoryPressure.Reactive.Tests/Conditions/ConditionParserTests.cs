using FsCheck;
using FsCheck.Fluent;

namespace MemoryPressure.Reactive.Tests.Conditions;

public class ConditionParserTests
{
    [Theory]
    [InlineData("LocalRelative < 10%")]
    [InlineData("GlobalAbsolute < 256MB")]
    [InlineData("GlobalRelative < 12.5%")]
    [InlineData("LocalAbsolute < 1000B")]
    [InlineData("LocalRelative < 20% | LocalRelative < 10% & GlobalAbsolute < 256MB")]
    [InlineData("!(LocalRelative < 10% | GlobalAbsolute < 1GB)")]
    [InlineData("!!(LocalRelative < 10%)")]
    [InlineData("!(LocalRelative < 10%) & !(GlobalAbsolute < 1GB)")]
    [InlineData("LocalRelative < 10% & (GlobalAbsolute < 2GB & GlobalRelative < 5%)")]
    [InlineData("(LocalRelative < 10% | GlobalAbsolute < 2GB) | GlobalRelative < 5%")]
    [InlineData("GlobalRelative < 1E-05%")]
    [InlineData("HeapRelative < 20%")]
    [InlineData("HeapAbsolute < 64MB")]
    [InlineData("LocalRelative < 15% | HeapRelative < 15%")]
    public void Canonical_text_parses_and_prints_back_the_same(string text) =>
        Assert.Equal(text, MemoryCondition.Parse(text).ToString());

    [Fact]
    public void Parsing_builds_the_conditions_it_names()
    {
        var condition = MemoryCondition.Parse("LocalRelative < 10% | GlobalAbsolute < 256MB");

        Assert.Equal(new Any(new LocalRelativeValue(10), new GlobalAbsoluteValue(256 * MemoryUnits.MB)), condition);
        Assert.Equal(new All(new HeapRelativeValue(20), new HeapAbsoluteValue(64 * MemoryUnits.MB)), MemoryCondition.Parse("heaprelative<20% & HEAPABSOLUTE < 64 mb"));
    }

    [Theory]
    [InlineData("globalabsolute<1kb", 1024)]
    [InlineData("  GLOBALABSOLUTE   <   2 GB  ", 2 * MemoryUnits.GB)]
    [InlineData("GlobalAbsolute < 1.5GB", 3 * MemoryUnits.GB / 2)]
    [InlineData("GlobalAbsolute < 0.5KB", 512)]
    [InlineData("GlobalAbsolute < 100", 100)]
    [InlineData("GlobalAbsolute < 100b", 100)]
    [InlineData("GlobalAbsolute < 0", 0)]
    [InlineData("GlobalAbsolute < 256MiB", 256 * MemoryUnits.MB)]
    [InlineData("GlobalAbsolute < 256 MiB", 256 * MemoryUnits.MB)]
    [InlineData("GlobalAbsolute < 1.5gib", 3 * MemoryUnits.GB / 2)]
    public void Kinds_and_units_are_case_insensitive_and_units_count_1024(string text, long bytes) =>
        Assert.Equal(new GlobalAbsoluteValue(bytes), MemoryCondition.Parse(text));

    [Fact]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or()
    {
        var (a, b, c) = (new LocalRelativeValue(1), new LocalRelativeValue(2), new LocalRelativeValue(3));

        Assert.Equal(new Any(new All(new Not(a), b), c), MemoryCondition.Parse("!LocalRelative<1% & LocalRelative<2% | LocalRelative<3%"));
        Assert.Equal(new Any(a, new All(b, c)), MemoryCondition.Parse("LocalRelative<1% | LocalRelative<2% & LocalRelative<3%"));
        Assert.Equal(new Not(new Any(a, b)), MemoryCondition.Parse("!(LocalRelative<1% | LocalRelative<2%)"));
        Assert.Equal(new All(a, b, c), MemoryCondition.Parse("LocalRelative<1% & LocalRelative<2% & LocalRelative<3%"));
        Assert.Equal(new All(new All(a, b), c), MemoryCondition.Parse("(LocalRelative<1% & LocalRelative<2%) & LocalRelative<3%"));
    }

    [Theory]
    [InlineData("", 0, "a condition")]
    [InlineData("   ", 3, "a condition")]
    [InlineData("Local < 10%", 0, "a condition (GlobalAbsolute, GlobalRelative, LocalAbsolute, LocalRelative, HeapAbsolute or HeapRelative)")]
    [InlineData("HeapRelative < 10", 17, "'%'")]
    [InlineData("HeapRelative < 101%", 15, "a percentage in (0, 100]")]
    [InlineData("HeapAbsolute < 10%", 17, "'&', '|' or the end")]
    [InlineData("HeapAbsolute < -1MB", 15, "a number")]
    [InlineData("LocalRelative 10%", 14, "'<'")]
    [InlineData("LocalRelative > 10%", 14, "'<'")]
    [InlineData("LocalRelative < %", 16, "a number")]
    [InlineData("LocalRelative < 10", 18, "'%'")]
    [InlineData("LocalRelative < 0%", 16, "a percentage in (0, 100]")]
    [InlineData("LocalRelative < 100.5%", 16, "a percentage in (0, 100]")]
    [InlineData("LocalAbsolute < 10TB", 18, "a unit")]
    [InlineData("LocalAbsolute < 10%", 18, "'&', '|' or the end")]
    [InlineData("LocalAbsolute < 1.5B", 16, "a whole number of bytes")]
    [InlineData("LocalAbsolute < 99999999999GB", 16, "a byte count below 8 EiB")]
    [InlineData("LocalAbsolute < -5MB", 16, "a number")]
    [InlineData("(LocalRelative < 10%", 20, "')'")]
    [InlineData("LocalRelative < 10%)", 19, "'&', '|' or the end (this ')' closes nothing)")]
    [InlineData("LocalRelative < 10% &", 21, "a condition")]
    [InlineData("LocalRelative < 10% | | GlobalAbsolute < 1MB", 22, "a condition")]
    [InlineData("LocalRelative < 10% GlobalAbsolute < 1MB", 20, "'&', '|' or the end")]
    [InlineData("!", 1, "a condition")]
    [InlineData("LocalRelative < 1..0%", 16, "a number")]
    public void Bad_text_fails_with_the_position_and_what_was_expected(string text, int position, string expected)
    {
        var e = Assert.Throws<FormatException>(() => MemoryCondition.Parse(text));

        Assert.Contains($"expected {expected}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at position {position},", e.Message, StringComparison.Ordinal);
        Assert.False(MemoryCondition.TryParse(text, out var condition));
        Assert.Null(condition);
    }

    [Fact]
    public void Deep_nesting_of_parentheses_or_negations_is_refused_instead_of_exhausting_the_stack()
    {
        const string atom = "LocalRelative < 10%";

        var parentheses = Assert.Throws<FormatException>(() => MemoryCondition.Parse(new string('(', 100_000) + atom + new string(')', 100_000)));
        var negations = Assert.Throws<FormatException>(() => MemoryCondition.Parse(new string('!', 100_000) + atom));
        var mixed = Assert.Throws<FormatException>(() => MemoryCondition.Parse(string.Concat(Enumerable.Repeat("!(", 40)) + atom + new string(')', 40)));

        Assert.All([parentheses, negations, mixed], e => Assert.Contains("at most 64 nested parentheses and negations", e.Message, StringComparison.Ordinal));
        Assert.Contains("at position 64,", negations.Message, StringComparison.Ordinal);
        Assert.IsType<Not>(MemoryCondition.Parse(new string('!', 64) + atom));
        Assert.IsType<LocalRelativeValue>(MemoryCondition.Parse(new string('(', 64) + atom + new string(')', 64)));
    }

    [Theory]
    [InlineData("LocalAbsolute < 9007199254740993", 9007199254740993)]
    [InlineData("LocalAbsolute < 9223372036854775807B", long.MaxValue)]
    [InlineData("LocalAbsolute < 8589934591GB", 8589934591L * MemoryUnits.GB)]
    public void Whole_byte_counts_are_read_exactly_even_past_what_a_double_holds(string text, long bytes) =>
        Assert.Equal(new LocalAbsoluteValue(bytes), MemoryCondition.Parse(text));

    [Theory]
    [InlineData("LocalAbsolute < 8589934592GB")]
    [InlineData("LocalAbsolute < 9223372036854775808")]
    [InlineData("LocalAbsolute < 99999999999999999999999KB")]
    public void Byte_counts_of_8_EiB_or_more_are_refused(string text) =>
        Assert.Contains("expected a byte count below 8 EiB at position 16", Assert.Throws<FormatException>(() => MemoryCondition.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_refuses_null_and_TryParse_says_false()
    {
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => MemoryCondition.Parse(null!)).ParamName);
        Assert.False(MemoryCondition.TryParse(null, out _));
    }

    [Fact]
    public void Random_strings_never_crash_the_parser_they_parse_or_fail_with_a_format_error()
    {
        var alphabet = "GlobalAbsoluteRelativeLocal<>%&|!()0123456789.eE+-KMGB \t\n\0\u00e9"u8.ToArray().Select(b => (char)b).ToArray();
        var texts = Gen.ArrayOf(Gen.Elements(alphabet)).Select(chars => new string(chars));

        Prop.ForAll(texts.ToArbitrary(), text =>
        {
            try
            {
                var condition = MemoryCondition.Parse(text);
                return MemoryCondition.Parse(condition.ToString()!).Equals(condition);
            }
            catch (FormatException)
            {
                return !MemoryCondition.TryParse(text, out _);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_condition_trees_print_text_that_parses_back_to_an_equal_tree()
    {
        Prop.ForAll(Trees().ToArbitrary(), condition =>
            MemoryCondition.Parse(condition.ToString()!).Equals(condition)).QuickCheckThrowOnFailure();
    }

    private static Gen<MemoryCondition> Trees()
    {
        var atoms = Gen.OneOf(
            Gen.Choose(0, 1 << 20).Select(n => (MemoryCondition)new GlobalAbsoluteValue(n * 512L)),
            Gen.Choose(0, 1 << 20).Select(n => (MemoryCondition)new LocalAbsoluteValue(n * 1000L)),
            Gen.Choose(1, 100_000).Select(n => (MemoryCondition)new GlobalRelativeValue(n / 1000.0)),
            Gen.Choose(1, 100).Select(n => (MemoryCondition)new LocalRelativeValue(n)),
            Gen.Choose(0, 1 << 20).Select(n => (MemoryCondition)new HeapAbsoluteValue(n * 4096L)),
            Gen.Choose(1, 1000).Select(n => (MemoryCondition)new HeapRelativeValue(n / 10.0)));

        Gen<MemoryCondition> Tree(int size) => size <= 1
            ? atoms
            : Gen.OneOf(
                atoms,
                Tree(size / 2).Select(c => (MemoryCondition)new Not(c)),
                Gen.Choose(2, 4).SelectMany(n => Gen.ArrayOf(Tree(size / 3), n)).Select(parts => (MemoryCondition)new All(parts)),
                Gen.Choose(2, 4).SelectMany(n => Gen.ArrayOf(Tree(size / 3), n)).Select(parts => (MemoryCondition)new Any(parts)));

        return Gen.Sized(Tree);
    }
}
