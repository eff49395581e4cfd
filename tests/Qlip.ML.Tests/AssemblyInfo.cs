// libtorch state is process-wide (seed, intra-op threads, default device) and several tests set it: one test at a time,
// so no test trains on another's seed or thread count.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
