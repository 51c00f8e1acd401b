/// How an emulator behaves; the defaults suit tests and local runs.
package struct EmulatorOptions: Sendable {
    /// How often a watch that allows bookmarks receives one.
    package var bookmarkInterval: Duration
    /// How many past events a watch can resume from; older resourceVersions get 410 Gone.
    package var watchHistoryLimit: Int

    package init(bookmarkInterval: Duration = .seconds(30), watchHistoryLimit: Int = 10_000) {
        self.bookmarkInterval = bookmarkInterval
        self.watchHistoryLimit = watchHistoryLimit
    }
}
