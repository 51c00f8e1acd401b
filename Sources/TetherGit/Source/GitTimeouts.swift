/// Deadlines for one network operation. Tether enforces them itself; see `docs/git.md`.
package struct GitTimeouts: Sendable, Hashable {
    /// Time allowed to establish each TCP connection.
    package var connect: Duration
    /// Longest time without any bytes or progress before the operation is aborted.
    package var idle: Duration
    /// Time allowed for the whole operation (ls-remote or fetch), connects included.
    package var total: Duration

    /// Creates deadlines; the defaults suit a reconcile loop polling a hosted server.
    package init(connect: Duration = .seconds(10), idle: Duration = .seconds(30), total: Duration = .seconds(300)) {
        self.connect = connect
        self.idle = idle
        self.total = total
    }
}
