import Testing
import TestSupport

/// The parent of every emulator suite. Serialised: each test drives kubectl
/// subprocesses, and on a 2-core machine running them all at once makes
/// each one slow enough to hit its time limit.
@Suite("emulator", .serialized, .capturedLogs)
enum EmulatorSuites {}
