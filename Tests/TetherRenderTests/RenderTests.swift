import Testing

@testable import TetherRender
