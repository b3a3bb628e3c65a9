using MemoryPressure.Reactive.Scheduling;

namespace MemoryPressure.Reactive.Tests.Scheduling;

/// <summary>The sampling thread's queue: earliest due first, equal due times in the order given.</summary>
public class DueQueueTests
{
    [Fact]
    public void Entries_leave_by_due_time_and_those_due_together_in_the_order_they_came()
    {
        var queue = new DueQueue<string>();
        var random = new Random(14);
        var given = Enumerable.Range(0, 200).Select(i => (Due: (long)random.Next(20), Name: $"item {i}")).ToList();
        foreach (var (due, name) in given)
        {
            queue.Enqueue(name, due);
        }

        var taken = new List<(long Due, string Name)>();
        while (queue.Count > 0)
        {
            var due = queue.Head.Due;
            taken.Add((due, queue.Dequeue()));
        }

        // OrderBy is stable: due time first, then the order of enqueueing.
        Assert.Equal(given.OrderBy(g => g.Due), taken);
    }

    [Fact]
    public void A_queue_emptied_and_cleared_takes_entries_again()
    {
        var queue = new DueQueue<string>();
        queue.Enqueue("a", 5);
        queue.Enqueue("b", 1);
        Assert.Equal("b", queue.Dequeue());
        queue.Clear();
        Assert.Equal(0, queue.Count);

        queue.Enqueue("c", 3);

        Assert.Equal((3L, "c"), (queue.Head.Due, queue.Dequeue()));
        Assert.Equal(0, queue.Count);
    }
}
