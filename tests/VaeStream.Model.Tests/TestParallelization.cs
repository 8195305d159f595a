// The Model tests run one class at a time. Busy CI runs twice saw libtorch reject a Scalar inside TorchSharp's Adam
// step ("Expected false to be true ... Scalar.h:140") while other classes allocated beside a training test: TorchSharp
// 0.107 leaves implicitly converted Scalars to the finalizer, and a Scalar finalized while in use is the likeliest
// reading. Run alone, a training test gives the finalizer far less to do; the race itself is TorchSharp's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
