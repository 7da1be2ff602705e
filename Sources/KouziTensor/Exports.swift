// The base types (JSON values, seeded random numbers, whole-file reads, the C library) come with the tensors.
@_exported import KouziBase
