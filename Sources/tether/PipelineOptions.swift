import ArgumentParser

/// The flags of the commands that run the whole reconcile pipeline, fetch to prune
/// (`tether sync`, `tether run`): declared once, so the two always take the same source,
/// cluster, reconcile, prune and SOPS key flags.
struct PipelineOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup var git: GitOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var reconcile: ReconcileOptions
    @OptionGroup var pruning: PruneOptions
    @OptionGroup var decryption: DecryptionOptions
}

/// A command that takes `PipelineOptions`, with each group under its own name.
protocol PipelineCommand {
    var pipelineOptions: PipelineOptions { get }
}

extension PipelineCommand {
    var global: GlobalOptions { pipelineOptions.global }
    var git: GitOptions { pipelineOptions.git }
    var cluster: ClusterOptions { pipelineOptions.cluster }
    var reconcile: ReconcileOptions { pipelineOptions.reconcile }
    var pruning: PruneOptions { pipelineOptions.pruning }
    var decryption: DecryptionOptions { pipelineOptions.decryption }
}
