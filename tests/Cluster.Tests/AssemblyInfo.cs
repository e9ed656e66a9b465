// The cluster tests start real processes and silos whose failure detection is timed: run them one at a time, so
// that the bounds they assert hold on a two-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
